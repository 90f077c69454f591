import { type Database, HISTORY_OPEN_VERSION, type WorkspaceScope } from '@pulse/db';
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { VersionedTable } from './history.contract.js';

export interface VersionRow {
  version: string;
  recorded_at: Date;
  operation: string;
  rows_inserted: number;
  rows_updated: number;
  rows_deleted: number;
}

const versionColumns = [
  'version',
  'recorded_at',
  'operation',
  'rows_inserted',
  'rows_updated',
  'rows_deleted',
] as const;

function versionsOf(scope: WorkspaceScope, table: VersionedTable) {
  return scope
    .selectFrom('history_versions')
    .where('table_name', '=', table)
    .select(versionColumns) as SelectQueryBuilder<Database, 'history_versions', VersionRow>;
}

/** Newest first, `limit + 1` rows so the caller can tell whether a next page exists. */
export function listVersions(
  scope: WorkspaceScope,
  table: VersionedTable,
  page: { limit: number; before?: string },
): Promise<VersionRow[]> {
  return versionsOf(scope, table)
    .$if(page.before !== undefined, (q) => q.where('version', '<', page.before as string))
    .orderBy('version', 'desc')
    .limit(page.limit + 1)
    .execute();
}

export type VersionTarget = { version: number } | { asOf: string } | { newest: true };

/** One version: by number, the newest recorded at or before an instant, or the newest. */
export function findVersion(
  scope: WorkspaceScope,
  table: VersionedTable,
  target: VersionTarget,
): Promise<VersionRow | undefined> {
  const query = versionsOf(scope, table);
  if ('version' in target) {
    return query.where('version', '=', String(target.version)).executeTakeFirst();
  }
  // Times leave the API in milliseconds; an instant read back from recordedAt must find its
  // own version although recorded_at holds microseconds: compare at millisecond precision.
  const asOfEnd = 'asOf' in target ? new Date(Date.parse(target.asOf) + 1) : undefined;
  return query
    .$if(asOfEnd !== undefined, (q) => q.where('recorded_at', '<', asOfEnd as Date))
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function oldestVersion(
  scope: WorkspaceScope,
  table: VersionedTable,
): Promise<VersionRow | undefined> {
  return versionsOf(scope, table).orderBy('version', 'asc').limit(1).executeTakeFirst();
}

/**
 * The row images valid at `version` ([valid_from, valid_to) contains it), in key order,
 * after the key `afterKey` (JSON text) when paging: current images walk their key index and
 * stop at the page size, replaced ones come from the range valid_to > version (few, for recent
 * versions), and the two ordered halves are merged.
 */
export async function rowsAt(
  scope: WorkspaceScope,
  table: VersionedTable,
  version: string,
  page: { limit: number; afterKey?: string },
): Promise<Array<{ row_key: unknown; row_data: unknown }>> {
  const open = sql.lit(HISTORY_OPEN_VERSION);
  const after = page.afterKey === undefined ? sql`` : sql`and row_key > ${page.afterKey}::jsonb`;
  const mine = sql`workspace_id = ${scope.workspaceId} and table_name = ${table}`;
  const { rows } = await scope.executeRaw(sql<{ row_key: unknown; row_data: unknown }>`
    select row_key, row_data from (
      (select row_key, row_data from history_rows
       where ${mine} and valid_to = ${open} and valid_from <= ${version} ${after}
       order by row_key limit ${page.limit + 1})
      union all
      (select row_key, row_data from history_rows
       where ${mine} and valid_to <> ${open} and valid_to > ${version}
         and valid_from <= ${version} ${after}
       order by row_key limit ${page.limit + 1})
    ) as valid
    order by row_key
    limit ${page.limit + 1}`);
  return rows;
}

/**
 * Bounds history: versions recorded before `before` are forgotten (except each table's newest,
 * which describes the current rows), and so are row images no kept version can see: those
 * replaced at or before the oldest kept version. Runs across all workspaces.
 */
export async function pruneHistory(
  db: Kysely<Database>,
  before: Date,
): Promise<{ versions: number; rows: number }> {
  const { rows } = await sql<{ versions: string; rows: string }>`
    with expired as (
      delete from history_versions v
      where v.recorded_at < ${before.toISOString()}::timestamptz
        and v.version < (select h.version from history_heads h
                         where h.workspace_id = v.workspace_id and h.table_name = v.table_name)
      returning v.workspace_id, v.table_name, v.version
    ),
    horizon as (
      select e.workspace_id, e.table_name,
             (select min(v.version) from history_versions v
              where v.workspace_id = e.workspace_id and v.table_name = e.table_name
                and v.version > max(e.version)) as first_kept
      from expired e group by 1, 2
    ),
    gone as (
      delete from history_rows r using horizon h
      where r.workspace_id = h.workspace_id and r.table_name = h.table_name
        and r.valid_to <> ${sql.lit(HISTORY_OPEN_VERSION)} and r.valid_to <= h.first_kept
      returning 1
    )
    select (select count(*) from expired) as versions, (select count(*) from gone) as rows`.execute(
    db,
  );
  const outcome = rows[0];
  return { versions: Number(outcome?.versions ?? 0), rows: Number(outcome?.rows ?? 0) };
}
