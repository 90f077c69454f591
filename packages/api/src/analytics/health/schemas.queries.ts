import type { WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';

export interface StoredSchemaRow {
  type: string;
  version: number;
  schema: unknown;
  description: string | null;
  created_by: string | null;
  created_at: Date;
}

const columns = ['type', 'version', 'schema', 'description', 'created_by', 'created_at'] as const;

/**
 * Appends version n+1 of a type in one statement. Two concurrent registrations of the same
 * type compute the same n+1 and one fails on the primary key; the caller retries once.
 */
export async function insertSchemaVersion(
  scope: WorkspaceScope,
  row: { type: string; schema: unknown; description: string | null; createdBy: string | null },
): Promise<StoredSchemaRow> {
  const { rows } = await scope.executeRaw(sql<StoredSchemaRow>`
    insert into event_schemas (workspace_id, type, version, schema, description, created_by)
    select ${scope.workspaceId}::uuid, ${row.type}, coalesce(max(version), 0) + 1,
           ${JSON.stringify(row.schema)}::jsonb, ${row.description}, ${row.createdBy}::uuid
    from event_schemas
    where workspace_id = ${scope.workspaceId}::uuid and type = ${row.type}
    returning type, version, schema, description, created_by, created_at`);
  const [stored] = rows;
  if (!stored) throw new Error('insert returned no row');
  return stored;
}

export async function findSchemaVersion(
  scope: WorkspaceScope,
  type: string,
  version: number | undefined,
): Promise<StoredSchemaRow | undefined> {
  let query = scope.selectFrom('event_schemas').select(columns).where('type', '=', type);
  query = version === undefined ? query : query.where('version', '=', version);
  return query.orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** The latest version of every type, with how many versions each has. */
export async function listLatestSchemas(
  scope: WorkspaceScope,
  limit: number,
): Promise<(StoredSchemaRow & { versions: number })[]> {
  // The window count is computed before DISTINCT ON keeps each type's first (latest) row.
  return scope
    .selectFrom('event_schemas')
    .distinctOn('type')
    .select([...columns, sql<number>`(count(*) over (partition by type))::int`.as('versions')])
    .orderBy('type')
    .orderBy('version', 'desc')
    .limit(limit)
    .execute();
}

export async function countSchemaTypes(scope: WorkspaceScope): Promise<number> {
  const row = await scope
    .selectFrom('event_schemas')
    .select(sql<number>`count(distinct type)::int`.as('types'))
    .executeTakeFirstOrThrow();
  return row.types;
}
