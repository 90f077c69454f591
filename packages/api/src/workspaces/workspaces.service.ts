import { randomBytes } from 'node:crypto';
import { listAuditEntries } from '../audit/audit.queries.js';
import { recordAudit } from '../audit/audit.service.js';
import type { UserContext } from '../auth/caller.js';
import { forgetCaller } from '../auth/caller.js';
import { digestToken } from '../auth/tokens.js';
import { PulseError } from '../errors.js';
import { decodeCursor, toPage } from '../pagination.js';
import { canGrant } from '../roles.js';
import { countMembers, findUserProfile, updateUser } from '../users/users.queries.js';
import type { AuditEntryDto, InviteInput, Member } from './workspaces.contract.js';
import { insertInvite, listMembers } from './workspaces.queries.js';

export async function members(ctx: UserContext, input: { limit: number; cursor?: string }) {
  const rows = await listMembers(ctx.scope, {
    limit: input.limit,
    after: decodeCursor(input.cursor),
  });
  return toPage(rows, input.limit, toMember, (row) => ({ at: row.cursor_at, id: row.id }));
}

export async function invite(ctx: UserContext, input: InviteInput) {
  if (!canGrant(ctx.caller.role, input.role)) {
    throw new PulseError('FORBIDDEN', `A ${ctx.caller.role} cannot invite ${input.role}s`, {
      field: 'role',
    });
  }
  const inviteCode = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + input.expiresInHours * 3_600_000);
  await ctx.scope.transaction(async (tx) => {
    const { id } = await insertInvite(tx, {
      codeHash: digestToken(inviteCode),
      role: input.role,
      createdBy: ctx.caller.userId,
      expiresAt,
      maxUses: input.maxUses,
    });
    await recordAudit(ctx, tx, {
      actorUserId: ctx.caller.userId,
      action: 'invite.created',
      targetType: 'invite',
      targetId: id,
      metadata: { role: input.role, maxUses: input.maxUses },
    });
  });
  return {
    inviteCode,
    expiresAt: expiresAt.toISOString(),
    role: input.role,
    maxUses: input.maxUses,
  };
}

/**
 * Admins manage members and admins; only owners touch owners. A workspace always keeps at
 * least one owner.
 */
export async function setRole(
  ctx: UserContext,
  input: { userId: string; role: Member['role'] },
): Promise<Member> {
  const { caller } = ctx;
  const member = await ctx.scope.transaction(async (tx) => {
    const target = await findUserProfile(tx, input.userId);
    if (!target)
      throw new PulseError('NOT_FOUND', 'No member with this id in your workspace', {
        field: 'userId',
      });
    if (!canGrant(caller.role, target.role) || !canGrant(caller.role, input.role)) {
      throw new PulseError(
        'FORBIDDEN',
        `A ${caller.role} cannot change a ${target.role} into a ${input.role}`,
        {
          field: 'role',
        },
      );
    }
    if (target.role === 'owner' && input.role !== 'owner' && (await countMembers(tx)).owners <= 1) {
      throw new PulseError('LAST_OWNER', 'A workspace needs an owner: promote someone else first', {
        field: 'role',
      });
    }
    await updateUser(tx, target.id, { role: input.role });
    await recordAudit(ctx, tx, {
      actorUserId: caller.userId,
      action: 'member.role_changed',
      targetType: 'user',
      targetId: target.id,
      metadata: { from: target.role, to: input.role },
    });
    return { ...target, role: input.role };
  });
  await forgetCaller(ctx, caller.workspaceId, member.id);
  return toMember(member);
}

export async function auditLog(
  ctx: UserContext,
  input: { limit: number; cursor?: string; action?: string },
) {
  const rows = await listAuditEntries(ctx.scope, {
    limit: input.limit,
    beforeId: input.cursor,
    action: input.action,
  });
  const page = rows.slice(0, input.limit);
  const items: AuditEntryDto[] = page.map((row) => ({
    id: row.id,
    action: row.action,
    actorUserId: row.actor_user_id,
    targetType: row.target_type,
    targetId: row.target_id,
    metadata: (row.metadata ?? {}) as Record<string, unknown>,
    ip: row.ip,
    requestId: row.request_id,
    createdAt: row.created_at.toISOString(),
  }));
  return { items, nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}

function toMember(row: {
  id: string;
  email: string;
  name: string;
  role: Member['role'];
  created_at: Date;
}): Member {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    joinedAt: row.created_at.toISOString(),
  };
}
