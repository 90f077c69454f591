import type { Executor, WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';

// Sign-in and joining by invite happen before any workspace is known: these are the only
// lookups that cross workspaces, and they return the workspace each row belongs to.

export function findAccountsByEmail(db: Executor, email: string, workspaceId?: string) {
  let query = db
    .selectFrom('users')
    .innerJoin('workspaces', 'workspaces.id', 'users.workspace_id')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'users.role',
      'users.password_hash',
      'users.workspace_id',
      'workspaces.name as workspace_name',
    ])
    .where('users.email', '=', email);
  if (workspaceId) query = query.where('users.workspace_id', '=', workspaceId);
  return query.orderBy('users.created_at').limit(20).execute();
}

/** Takes one use of a live invite, atomically; undefined when expired, used up or unknown. */
export function claimInvite(db: Executor, codeHash: string) {
  return db
    .updateTable('invites')
    .set({ use_count: sql`use_count + 1` })
    .where('code_hash', '=', codeHash)
    .where('expires_at', '>', sql<Date>`now()`)
    .where(sql<boolean>`use_count < max_uses`)
    .returning(['id', 'workspace_id', 'role'])
    .executeTakeFirst();
}

export function insertWorkspace(db: Executor, name: string) {
  return db
    .insertInto('workspaces')
    .values({ name })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
}

export function insertRefreshToken(
  scope: WorkspaceScope,
  row: { id: string; userId: string; familyId: string; tokenHash: string; expiresAt: Date },
) {
  return scope
    .insertInto('refresh_tokens', {
      id: row.id,
      user_id: row.userId,
      family_id: row.familyId,
      token_hash: row.tokenHash,
      expires_at: row.expiresAt,
    })
    .execute();
}

/**
 * Marks a live refresh token as used. Exactly one of any number of concurrent attempts wins;
 * the others see no row and are treated as reuse.
 */
export function markRefreshTokenRotated(scope: WorkspaceScope, id: string, tokenHash: string) {
  return scope
    .updateTable('refresh_tokens')
    .set({ rotated_at: sql`now()` })
    .where('id', '=', id)
    .where('token_hash', '=', tokenHash)
    .where('rotated_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['user_id', 'family_id'])
    .executeTakeFirst();
}

export function findRefreshToken(scope: WorkspaceScope, id: string) {
  return scope
    .selectFrom('refresh_tokens')
    .select(['id', 'user_id', 'family_id', 'token_hash', 'rotated_at', 'revoked_at', 'expires_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function revokeTokenFamily(scope: WorkspaceScope, familyId: string, reason: string) {
  const result = await scope
    .updateTable('refresh_tokens')
    .set({ revoked_at: sql`now()`, revoked_reason: reason })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Signs a user out everywhere, optionally keeping the session that asked. */
export async function revokeUserTokens(
  scope: WorkspaceScope,
  userId: string,
  reason: string,
  exceptFamilyId?: string,
) {
  let query = scope
    .updateTable('refresh_tokens')
    .set({ revoked_at: sql`now()`, revoked_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptFamilyId) query = query.where('family_id', '!=', exceptFamilyId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export type AccountRow = Awaited<ReturnType<typeof findAccountsByEmail>>[number];
