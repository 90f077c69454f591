import { type Kysely, sql } from 'kysely';

// Frozen once landed: typed against Kysely<any> so later schema changes never break it.

/** Tables whose every change is versioned, with the columns that identify one of their rows. */
const VERSIONED_TABLES = {
  event_rollups: ['resolution', 'bucket', 'type'],
  metric_rollups: ['resolution', 'name', 'bucket', 'tags'],
} as const;

/** `valid_to` of a row that is still current: a bigint no version reaches. */
const OPEN_VERSION = '9223372036854775807';

// biome-ignore lint/suspicious/noExplicitAny: see above.
export async function up(db: Kysely<any>): Promise<void> {
  await createHistoryTables(db);
  await createCaptureTrigger(db);
  // Same rendering of timestamps in row keys as the trigger's (see createCaptureTrigger).
  await sql`set local "TimeZone" = 'UTC'`.execute(db);
  for (const [table, keyColumns] of Object.entries(VERSIONED_TABLES)) {
    await snapshotExistingRows(db, table, keyColumns);
    await attachTriggers(db, table, keyColumns);
  }
  await sql`reset "TimeZone"`.execute(db);
  await createAnalystRole(db);
}

// biome-ignore lint/suspicious/noExplicitAny: frozen migration, see up().
async function createHistoryTables(db: Kysely<any>): Promise<void> {
  // The version counter of each (workspace, table). Its row stays locked by the writing
  // transaction until commit, so versions are handed out in commit order; `txid` lets every
  // statement of one transaction share a version (a rollup run is one change, not three).
  await sql`
    create table history_heads (
      workspace_id uuid not null references workspaces(id) on delete cascade,
      table_name text not null,
      version bigint not null,
      txid xid8 not null,
      primary key (workspace_id, table_name)
    )`.execute(db);
  await sql`
    create table history_versions (
      workspace_id uuid not null references workspaces(id) on delete cascade,
      table_name text not null,
      version bigint not null,
      recorded_at timestamptz not null default clock_timestamp(),
      operation text not null,
      rows_inserted integer not null default 0,
      rows_updated integer not null default 0,
      rows_deleted integer not null default 0,
      primary key (workspace_id, table_name, version)
    )`.execute(db);
  await sql`create index history_versions_time_idx on history_versions (workspace_id, table_name, recorded_at)`.execute(
    db,
  );
  // Each row image is valid for versions [valid_from, valid_to); the current image carries
  // OPEN_VERSION. Two partial indexes split current from replaced images: the trigger finds a
  // current image by key (and no other index can tempt the planner there), and a read "as of
  // v" merges current images in key order with the replaced ones still valid at v.
  await sql`
    create table history_rows (
      workspace_id uuid not null references workspaces(id) on delete cascade,
      table_name text not null,
      row_key jsonb not null,
      row_data jsonb not null,
      valid_from bigint not null,
      valid_to bigint not null
    )`.execute(db);
  await sql
    .raw(`
    create index history_rows_current_idx on history_rows (workspace_id, table_name, row_key)
    where valid_to = ${OPEN_VERSION}`)
    .execute(db);
  await sql
    .raw(`
    create index history_rows_replaced_idx
    on history_rows (workspace_id, table_name, valid_to, valid_from)
    where valid_to <> ${OPEN_VERSION}`)
    .execute(db);
  // Retention deletes superseded images by age across all workspaces.
  await sql`create index history_versions_recorded_brin on history_versions using brin (recorded_at)`.execute(
    db,
  );
}

// The trigger is statement-level with transition tables, so the writers (the rollup jobs)
// know nothing about it: one pass records the version, replaced images are closed by key,
// new images are inserted in one statement. Changes of a workspace being deleted are skipped:
// its history goes with it by cascade. TimeZone is pinned so a timestamp in a row key renders
// the same on every connection (keys are compared as jsonb), and search_path to the schema
// migrated (tests share a cluster). The table name is passed as text: `name` against the
// text column would keep the index out.
//
// Closing goes row by row on purpose. history_rows grows in bulk between statistics updates
// (PGlite never auto-analyzes), and with stale statistics a set-based join closed 360 images
// by scanning all 259,200 current ones 360 times (150 s, measured); a lookup by full key can
// only be an index probe (~20 µs).
// biome-ignore lint/suspicious/noExplicitAny: frozen migration, see up().
async function createCaptureTrigger(db: Kysely<any>): Promise<void> {
  await sql`
    create function history_row_key(row_data jsonb, key_columns text[]) returns jsonb
    language sql immutable as $$
      select jsonb_object_agg(k, row_data -> k) from unnest(key_columns) as k
    $$`.execute(db);
  await sql
    .raw(`
    create function history_capture() returns trigger language plpgsql
    set "TimeZone" = 'UTC' set search_path from current as $fn$
    declare
      source text := case tg_op when 'DELETE' then 'old_rows' else 'new_rows' end;
      changed_table text := tg_table_name::text;
      -- The key as jsonb_build_object('col', r.col, …): five times cheaper per row than
      -- history_row_key(to_jsonb(r), …), and the same jsonb.
      key_of text := (select format('jsonb_build_object(%s)',
                                    string_agg(format('%L, r.%I', c, c), ', '))
                      from unnest(tg_argv) as c);
      image record;
    begin
      execute format($sql$
        with counted as (
          select c.workspace_id, count(*) as rows
          from %I c join workspaces w on w.id = c.workspace_id
          group by c.workspace_id
        ),
        heads as (
          insert into history_heads as h (workspace_id, table_name, version, txid)
          select workspace_id, $1, 1, pg_current_xact_id() from counted
          on conflict (workspace_id, table_name) do update
            set version = h.version + (h.txid <> pg_current_xact_id())::int,
                txid = pg_current_xact_id()
          returning workspace_id, version
        )
        insert into history_versions as v (workspace_id, table_name, version, operation,
                                           rows_inserted, rows_updated, rows_deleted)
        select c.workspace_id, $1, h.version, $2,
               case when $2 = 'insert' then c.rows else 0 end,
               case when $2 = 'update' then c.rows else 0 end,
               case when $2 = 'delete' then c.rows else 0 end
        from counted c join heads h using (workspace_id)
        on conflict (workspace_id, table_name, version) do update
          set rows_inserted = v.rows_inserted + excluded.rows_inserted,
              rows_updated = v.rows_updated + excluded.rows_updated,
              rows_deleted = v.rows_deleted + excluded.rows_deleted,
              operation = (
                select string_agg(kind, '+' order by
                         array_position(array['insert', 'update', 'delete'], kind))
                from (select distinct unnest(string_to_array(v.operation, '+') || $2)) as s(kind))
      $sql$, source) using changed_table, lower(tg_op);

      if tg_op <> 'INSERT' then
        -- An image replaced within the version that made it gets [v, v): visible at no version.
        for image in execute format($sql$
          select r.workspace_id, h.version, %s as row_key
          from old_rows r
          join history_heads h on h.workspace_id = r.workspace_id and h.table_name = $1
          join workspaces w on w.id = r.workspace_id
        $sql$, key_of) using changed_table
        loop
          update history_rows set valid_to = image.version
          where workspace_id = image.workspace_id and table_name = changed_table
            and row_key = image.row_key and valid_to = ${OPEN_VERSION};
        end loop;
      end if;

      if tg_op <> 'DELETE' then
        execute format($sql$
          insert into history_rows (workspace_id, table_name, row_key, row_data, valid_from,
                                    valid_to)
          select r.workspace_id, $1, %s, to_jsonb(r) - 'workspace_id', h.version,
                 ${OPEN_VERSION}
          from new_rows r
          join history_heads h on h.workspace_id = r.workspace_id and h.table_name = $1
          join workspaces w on w.id = r.workspace_id
        $sql$, key_of) using changed_table;
      end if;
      return null;
    end
    $fn$`)
    .execute(db);
}

/** Rows present before versioning existed become version 1 ('snapshot') of their workspace. */
async function snapshotExistingRows(
  // biome-ignore lint/suspicious/noExplicitAny: frozen migration, see up().
  db: Kysely<any>,
  table: string,
  keyColumns: readonly string[],
): Promise<void> {
  const source = sql.table(table);
  await sql`
    insert into history_heads (workspace_id, table_name, version, txid)
    select distinct workspace_id, ${table}, 1, pg_current_xact_id() from ${source}`.execute(db);
  await sql`
    insert into history_versions (workspace_id, table_name, version, operation, rows_inserted)
    select workspace_id, ${table}, 1, 'snapshot', count(*) from ${source} group by workspace_id`.execute(
    db,
  );
  await sql`
    insert into history_rows (workspace_id, table_name, row_key, row_data, valid_from, valid_to)
    select workspace_id, ${table}, history_row_key(to_jsonb(t), ${keyColumns}::text[]),
           to_jsonb(t) - 'workspace_id', 1, ${sql.raw(OPEN_VERSION)}
    from ${source} t`.execute(db);
}

async function attachTriggers(
  // biome-ignore lint/suspicious/noExplicitAny: frozen migration, see up().
  db: Kysely<any>,
  table: string,
  keyColumns: readonly string[],
): Promise<void> {
  const args = sql.join(keyColumns.map((column) => sql.lit(column)));
  const transitions = {
    insert: sql`referencing new table as new_rows`,
    update: sql`referencing old table as old_rows new table as new_rows`,
    delete: sql`referencing old table as old_rows`,
  };
  for (const [operation, referencing] of Object.entries(transitions)) {
    await sql`
      create trigger ${sql.id(`${table}_history_${operation}`)}
      after ${sql.raw(operation)} on ${sql.table(table)} ${referencing}
      for each statement execute function history_capture(${args})`.execute(db);
  }
}

/**
 * The role analysts' SQL runs as: it can log in nowhere and owns nothing; each query grants
 * it SELECT on that request's workspace views only. Roles are cluster-wide, and several
 * deployments (or test schemas) may migrate at once, so creation tolerates a concurrent twin.
 * Without the privilege to create roles this step is skipped and queries rely on the parser
 * and the read-only transaction alone (see analytics/sql/sql.queries.ts).
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migration, see up().
async function createAnalystRole(db: Kysely<any>): Promise<void> {
  await sql`
    do $$
    begin
      if not exists (select 1 from pg_roles where rolname = 'pulse_analyst') then
        begin
          create role pulse_analyst nologin;
        exception when duplicate_object or unique_violation then null;
        end;
      end if;
      if not pg_has_role(current_user, 'pulse_analyst', 'member') then
        execute format('grant pulse_analyst to %I', current_user);
      end if;
    exception when insufficient_privilege then
      raise notice 'pulse_analyst not created: %', sqlerrm;
    end
    $$`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: frozen migration, see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of Object.keys(VERSIONED_TABLES)) {
    for (const operation of ['insert', 'update', 'delete']) {
      await sql`drop trigger if exists ${sql.id(`${table}_history_${operation}`)} on ${sql.table(table)}`.execute(
        db,
      );
    }
  }
  await sql`drop function if exists history_capture()`.execute(db);
  await sql`drop function if exists history_row_key(jsonb, text[])`.execute(db);
  for (const table of ['history_rows', 'history_versions', 'history_heads']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  // pulse_analyst stays: roles are shared by every database and schema of the cluster.
}
