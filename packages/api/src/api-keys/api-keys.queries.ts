import type { ApiKeyScope, Executor, WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';

// A key is presented before any workspace is known; its globally unique prefix finds it.
export function findApiKeyByPrefix(db: Executor, prefix: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'workspace_id', 'name', 'scope', 'key_hash', 'revoked_at'])
    .where('prefix', '=', prefix)
    .executeTakeFirst();
}

export function insertApiKey(
  scope: WorkspaceScope,
  row: { name: string; scope: ApiKeyScope; prefix: string; keyHash: string; createdBy: string },
) {
  return scope
    .insertInto('api_keys', {
      name: row.name,
      scope: row.scope,
      prefix: row.prefix,
      key_hash: row.keyHash,
      created_by: row.createdBy,
    })
    .returning(['id', 'name', 'scope', 'prefix', 'created_at'])
    .executeTakeFirstOrThrow();
}

export function listApiKeys(scope: WorkspaceScope) {
  return scope
    .selectFrom('api_keys')
    .select([
      'id',
      'name',
      'scope',
      'prefix',
      'created_by',
      'created_at',
      'last_used_at',
      'revoked_at',
    ])
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export function revokeApiKey(scope: WorkspaceScope, id: string) {
  return scope
    .updateTable('api_keys')
    .set({ revoked_at: sql`coalesce(revoked_at, now())` })
    .where('id', '=', id)
    .returning(['prefix'])
    .executeTakeFirst();
}

export function touchApiKey(scope: WorkspaceScope, id: string) {
  return scope
    .updateTable('api_keys')
    .set({ last_used_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}
