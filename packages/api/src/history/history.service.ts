import type { WorkspaceContext } from '../auth/caller.js';
import { PulseError } from '../errors.js';
import type {
  ListVersionsInput,
  TableAtInput,
  TableVersion,
  VersionedTable,
} from './history.contract.js';
import type { VersionRow, VersionTarget } from './history.queries.js';
import * as history from './history.queries.js';

export async function listVersions(ctx: WorkspaceContext, input: ListVersionsInput) {
  const before = decodePosition(input.cursor, /^\d{1,19}$/);
  const rows = await history.listVersions(ctx.scope, input.table, { limit: input.limit, before });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    table: input.table,
    items: page.map(toVersion),
    nextCursor: rows.length > input.limit && last ? encodePosition(last.version) : null,
  };
}

export async function tableAt(ctx: WorkspaceContext, input: TableAtInput) {
  const target: VersionTarget =
    input.version !== undefined
      ? { version: input.version }
      : input.asOf !== undefined
        ? { asOf: input.asOf }
        : { newest: true };
  const version = await history.findVersion(ctx.scope, input.table, target);
  if (!version) throw await versionNotFound(ctx, input.table, target);
  const afterKey = decodePosition(input.cursor, /^\{.*\}$/s);
  const rows = await history.rowsAt(ctx.scope, input.table, version.version, {
    limit: input.limit,
    afterKey,
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    table: input.table,
    version: toVersion(version),
    rows: page.map((row) => row.row_data as Record<string, unknown>),
    nextCursor:
      rows.length > input.limit && last ? encodePosition(JSON.stringify(last.row_key)) : null,
  };
}

async function versionNotFound(
  ctx: WorkspaceContext,
  table: VersionedTable,
  target: VersionTarget,
): Promise<PulseError> {
  const oldest = await history.oldestVersion(ctx.scope, table);
  const kept = oldest
    ? `the oldest version kept is ${oldest.version} (recorded ${oldest.recorded_at.toISOString()})`
    : `${table} has no versions yet in this workspace`;
  if ('version' in target) {
    return new PulseError('NOT_FOUND', `version ${target.version} of ${table} not found; ${kept}`, {
      field: 'version',
    });
  }
  if ('asOf' in target) {
    return new PulseError(
      'NOT_FOUND',
      `no version of ${table} at or before ${target.asOf}; ${kept}`,
      {
        field: 'asOf',
      },
    );
  }
  return new PulseError('NOT_FOUND', `${table} has no versions yet in this workspace`);
}

function toVersion(row: VersionRow): TableVersion {
  return {
    version: Number(row.version),
    recordedAt: new Date(row.recorded_at).toISOString(),
    operation: row.operation,
    rowsAffected: row.rows_inserted + row.rows_updated + row.rows_deleted,
    rowsInserted: row.rows_inserted,
    rowsUpdated: row.rows_updated,
    rowsDeleted: row.rows_deleted,
  };
}

// Cursors are opaque to clients; inside they are a version number or a row key (JSON).
function encodePosition(position: string): string {
  return Buffer.from(position).toString('base64url');
}

function decodePosition(cursor: string | undefined, shape: RegExp): string | undefined {
  if (cursor === undefined) return undefined;
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  if (shape.test(position)) {
    try {
      if (position.startsWith('{')) JSON.parse(position);
      return position;
    } catch {
      // fall through to the error below
    }
  }
  throw new PulseError('VALIDATION_FAILED', 'cursor is not one this API issued', {
    field: 'cursor',
  });
}
