import type { WorkspaceContext } from '../auth/caller.js';
import { PulseError } from '../errors.js';
import { actingMemberId, notFound } from '../spaces/spaces.access.js';
import { decodeKeyCursor, keyPage } from '../spaces/spaces.cursor.js';
import { afterWrite } from '../spaces/spaces.effects.js';
import { iso } from '../spaces/spaces.fields.js';
import type { ConnectionInput, ListConnectionsInput } from './connections.contract.js';
import {
  type ConnectionRow,
  deleteConnection,
  insertConnection,
  listConnections,
} from './connections.queries.js';
import { findMember } from './members.queries.js';

export async function listMemberConnections(ctx: WorkspaceContext, input: ListConnectionsInput) {
  if (!(await findMember(ctx.scope, input.memberId))) throw notFound('member', 'memberId');
  const rows = await listConnections(ctx.scope, input.memberId, {
    limit: input.limit,
    after: decodeKeyCursor(input.cursor, 'string'),
  });
  return keyPage(rows, input.limit, connectionDto, (row) => ({ key: row.name, id: row.id }));
}

/** Members connect themselves; admins and ingest keys any two members. */
export async function connectMembers(ctx: WorkspaceContext, input: ConnectionInput) {
  const memberId = await checkedPair(ctx, input);
  const created = await insertConnection(ctx.scope, memberId, input.otherMemberId);
  if (created) await afterWrite(ctx, { topics: ['community'] });
  const [row] = await listConnections(ctx.scope, memberId, {
    limit: 1,
    otherMemberId: input.otherMemberId,
  });
  if (!row) throw notFound('member', 'otherMemberId');
  return { connection: connectionDto(row), created };
}

export async function disconnectMembers(ctx: WorkspaceContext, input: ConnectionInput) {
  const memberId = await checkedPair(ctx, input);
  if (!(await deleteConnection(ctx.scope, memberId, input.otherMemberId))) {
    throw new PulseError('NOT_FOUND', 'These members are not connected', {
      field: 'otherMemberId',
    });
  }
  await afterWrite(ctx, { topics: ['community'] });
  return { deleted: true as const };
}

async function checkedPair(ctx: WorkspaceContext, input: ConnectionInput): Promise<string> {
  const memberId = await actingMemberId(ctx, input.memberId);
  if (memberId === input.otherMemberId.toLowerCase()) {
    throw new PulseError('VALIDATION_FAILED', 'must be another member', {
      field: 'otherMemberId',
    });
  }
  if (!(await findMember(ctx.scope, input.otherMemberId))) {
    throw notFound('member', 'otherMemberId');
  }
  return memberId;
}

function connectionDto(row: ConnectionRow) {
  return {
    memberId: row.id,
    name: row.name,
    headline: row.headline,
    connectedAt: iso(row.created_at),
  };
}
