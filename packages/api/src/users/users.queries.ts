import type { Role, WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';

export function insertUser(
  scope: WorkspaceScope,
  row: { email: string; name: string; passwordHash: string; role: Role },
) {
  return scope
    .insertInto('users', {
      email: row.email,
      name: row.name,
      password_hash: row.passwordHash,
      role: row.role,
    })
    .onConflict((conflict) => conflict.columns(['workspace_id', 'email']).doNothing())
    .returning(['id', 'email', 'name', 'role', 'created_at'])
    .executeTakeFirst();
}

export function findUserProfile(scope: WorkspaceScope, userId: string) {
  return scope
    .selectFrom('users')
    .innerJoin('workspaces', 'workspaces.id', 'users.workspace_id')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'users.role',
      'users.workspace_id',
      'users.created_at',
      'workspaces.name as workspace_name',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
}

export function findPasswordHash(scope: WorkspaceScope, userId: string) {
  return scope
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .executeTakeFirst()
    .then((row) => row?.password_hash);
}

export async function updateUser(
  scope: WorkspaceScope,
  userId: string,
  patch: { name?: string; passwordHash?: string; role?: Role },
) {
  const result = await scope
    .updateTable('users')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      updated_at: sql`now()`,
    })
    .where('id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteUser(scope: WorkspaceScope, userId: string) {
  const result = await scope.deleteFrom('users').where('id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Counts members by role, for the "a workspace keeps an owner" rule. */
export async function countMembers(scope: WorkspaceScope) {
  const rows = await scope
    .selectFrom('users')
    .select(['role', (eb) => eb.fn.countAll<string>().as('count')])
    .groupBy('role')
    .execute();
  const byRole = Object.fromEntries(rows.map((row) => [row.role, Number(row.count)]));
  const total = rows.reduce((sum, row) => sum + Number(row.count), 0);
  return { total, owners: byRole.owner ?? 0 };
}
