import type { Role, WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';
import type { PageCursor } from '../pagination.js';

export function listMembers(scope: WorkspaceScope, options: { limit: number; after?: PageCursor }) {
  let query = scope
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'created_at'])
    // PostgreSQL keeps microseconds, a JS Date only milliseconds: the cursor carries the exact
    // value as text so the row it points at is not served again on the next page.
    .select(
      sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
        'cursor_at',
      ),
    )
    .orderBy('created_at')
    .orderBy('id')
    .limit(options.limit + 1);
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '>', sql<Date>`${after.at}::timestamptz`),
        eb.and([
          eb('created_at', '=', sql<Date>`${after.at}::timestamptz`),
          eb('id', '>', after.id),
        ]),
      ]),
    );
  }
  return query.execute();
}

export function insertInvite(
  scope: WorkspaceScope,
  row: { codeHash: string; role: Role; createdBy: string; expiresAt: Date; maxUses: number },
) {
  return scope
    .insertInto('invites', {
      code_hash: row.codeHash,
      role: row.role,
      created_by: row.createdBy,
      expires_at: row.expiresAt,
      max_uses: row.maxUses,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}
