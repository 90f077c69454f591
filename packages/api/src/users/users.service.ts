import { recordAudit } from '../audit/audit.service.js';
import { revokeUserTokens } from '../auth/auth.queries.js';
import { forgetCaller, type UserContext } from '../auth/caller.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { PulseError } from '../errors.js';
import type { Me, UpdateMeInput } from './users.contract.js';
import {
  countMembers,
  deleteUser,
  findPasswordHash,
  findUserProfile,
  updateUser,
} from './users.queries.js';

export async function getMe(ctx: UserContext): Promise<Me> {
  const row = await findUserProfile(ctx.scope, ctx.caller.userId);
  if (!row) throw new PulseError('NOT_FOUND', 'Your account no longer exists');
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    workspace: { id: row.workspace_id, name: row.workspace_name },
    role: row.role,
    createdAt: row.created_at.toISOString(),
  };
}

/** A password change signs out every other session of the user; this one stays. */
export async function updateMe(ctx: UserContext, input: UpdateMeInput): Promise<Me> {
  let passwordHash: string | undefined;
  if (input.password !== undefined) {
    if (input.currentPassword === undefined) {
      throw new PulseError(
        'VALIDATION_FAILED',
        'currentPassword is required to set a new password',
        {
          field: 'currentPassword',
        },
      );
    }
    await confirmPassword(ctx, input.currentPassword, 'currentPassword');
    passwordHash = await hashPassword(input.password, ctx.config.auth.passwordHashCost);
  }
  const { userId } = ctx.caller;
  await ctx.scope.transaction(async (tx) => {
    await updateUser(tx, userId, { name: input.name, passwordHash });
    if (passwordHash) {
      await revokeUserTokens(tx, userId, 'password_changed', ctx.caller.familyId);
      await recordAudit(ctx, tx, {
        actorUserId: userId,
        action: 'user.password_changed',
        targetType: 'user',
        targetId: userId,
      });
    }
  });
  await forgetCaller(ctx, ctx.caller.workspaceId, userId);
  return getMe(ctx);
}

/**
 * Deletes the caller. The last owner of a workspace with other members must hand ownership
 * over first; a sole member takes the workspace with them.
 */
export async function deleteMe(ctx: UserContext, password: string): Promise<{ success: true }> {
  await confirmPassword(ctx, password, 'password');
  const { userId, workspaceId, role } = ctx.caller;
  await ctx.scope.transaction(async (tx) => {
    const members = await countMembers(tx);
    if (members.total <= 1) {
      await tx.deleteWorkspace().execute();
      return;
    }
    if (role === 'owner' && members.owners <= 1) {
      throw new PulseError(
        'LAST_OWNER',
        'You are the last owner: make another member owner before deleting your account',
      );
    }
    await deleteUser(tx, userId);
    await recordAudit(ctx, tx, {
      actorUserId: null,
      action: 'user.deleted',
      targetType: 'user',
      targetId: userId,
    });
  });
  await forgetCaller(ctx, workspaceId, userId);
  return { success: true };
}

async function confirmPassword(ctx: UserContext, password: string, field: string): Promise<void> {
  const hash = await findPasswordHash(ctx.scope, ctx.caller.userId);
  if (!hash || !(await verifyPassword(password, hash))) {
    throw new PulseError('PASSWORD_INCORRECT', 'The password is incorrect', { field });
  }
}
