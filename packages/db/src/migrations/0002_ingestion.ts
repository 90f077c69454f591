import { type Kysely, sql } from 'kysely';

// Frozen once landed: typed against Kysely<any> so later schema changes never break it.
// biome-ignore lint/suspicious/noExplicitAny: see above.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) =>
      c.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('ingest', 'read')`))
    .addColumn('prefix', 'text', (c) => c.notNull().unique())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  // Events and metric points are partitioned by day on their own timestamp; partitions are
  // created ahead (and dropped by retention) by the maintenance job. The default partition
  // catches anything outside the created range, and the job moves those rows out when the
  // matching day's partition is created.
  await sql`
    create table events (
      workspace_id uuid not null references workspaces(id) on delete cascade,
      id text not null,
      type text not null,
      timestamp timestamptz not null,
      received_at timestamptz not null default now(),
      user_id text,
      anonymous_id text,
      session_id text,
      properties jsonb not null default '{}'::jsonb,
      product_id text,
      price numeric(20, 6),
      quantity integer,
      currency text,
      primary key (workspace_id, timestamp, id)
    ) partition by range (timestamp)`.execute(db);
  await sql`create table events_default partition of events default`.execute(db);
  await sql`create index events_type_idx on events (workspace_id, type, timestamp)`.execute(db);
  await sql`create index events_user_idx on events (workspace_id, user_id, timestamp) where user_id is not null`.execute(
    db,
  );

  // Idempotency across partitions: a unique key on a partitioned table must contain the
  // partition key, and a retried event may carry no timestamp, so ids are claimed here first.
  await db.schema
    .createTable('event_ids')
    .addColumn('workspace_id', 'uuid', (c) =>
      c.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('timestamp', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_ids_pkey', ['workspace_id', 'id'])
    .execute();
  // BRIN: retention needs a time index here, and a btree would cost every insert another
  // random write; ids arrive roughly in time order, which is what BRIN wants.
  await sql`create index event_ids_timestamp_brin on event_ids using brin (timestamp)`.execute(db);

  await sql`create sequence metric_points_id_seq as bigint`.execute(db);
  await sql`
    create table metric_points (
      workspace_id uuid not null references workspaces(id) on delete cascade,
      id bigint not null default nextval('metric_points_id_seq'),
      name text not null,
      value double precision not null,
      tags jsonb not null default '{}'::jsonb,
      timestamp timestamptz not null,
      received_at timestamptz not null default now(),
      primary key (workspace_id, name, timestamp, id)
    ) partition by range (timestamp)`.execute(db);
  await sql`create table metric_points_default partition of metric_points default`.execute(db);
  await sql`create index metric_points_id_idx on metric_points (workspace_id, id)`.execute(db);
  await sql`create index metric_points_time_idx on metric_points (workspace_id, timestamp)`.execute(
    db,
  );

  // Rollups are recomputed from raw rows for every bucket marked dirty, so a late event or a
  // repeated job replaces a bucket rather than adding to it. Marks are appended without a
  // unique key on purpose: concurrent ingests of one workspace never wait on each other here.
  await db.schema
    .createTable('rollup_dirty')
    .addColumn('workspace_id', 'uuid', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('events', 'metrics')`))
    .addColumn('bucket', 'timestamptz', (c) => c.notNull())
    .addColumn('marked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('rollup_dirty_source_idx')
    .on('rollup_dirty')
    .column('source')
    .execute();
  // Aggregates check for pending marks of one workspace and range before trusting rollups.
  await db.schema
    .createIndex('rollup_dirty_lookup_idx')
    .on('rollup_dirty')
    .columns(['workspace_id', 'source', 'bucket'])
    .execute();

  await db.schema
    .createTable('event_rollups')
    .addColumn('workspace_id', 'uuid', (c) =>
      c.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('resolution', 'text', (c) => c.notNull().check(sql`resolution in ('1m', '1h')`))
    .addColumn('bucket', 'timestamptz', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('users', 'bigint', (c) => c.notNull())
    .addColumn('revenue', 'numeric', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('event_rollups_pkey', ['workspace_id', 'resolution', 'bucket', 'type'])
    .execute();

  await db.schema
    .createTable('metric_rollups')
    .addColumn('workspace_id', 'uuid', (c) =>
      c.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('resolution', 'text', (c) => c.notNull().check(sql`resolution in ('1m', '1h')`))
    .addColumn('bucket', 'timestamptz', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('tags', 'jsonb', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('sum', 'double precision', (c) => c.notNull())
    .addColumn('min', 'double precision', (c) => c.notNull())
    .addColumn('max', 'double precision', (c) => c.notNull())
    .addColumn('sketch', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index metric_rollups_key on metric_rollups (workspace_id, resolution, name, bucket, tags)`.execute(
    db,
  );

  // Retention deletes by time across all workspaces: BRIN keeps that from scanning whole
  // tables while costing inserts almost nothing (rows arrive in time order).
  await sql`create index event_rollups_bucket_brin on event_rollups using brin (bucket)`.execute(
    db,
  );
  await sql`create index metric_rollups_bucket_brin on metric_rollups using brin (bucket)`.execute(
    db,
  );

  // Ingestion's own counters (one row per batch, appended so batches never contend), read by
  // data-quality checks and compacted by retention.
  await db.schema
    .createTable('ingest_stats')
    .addColumn('workspace_id', 'uuid', (c) =>
      c.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('events', 'metrics')`))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('accepted', 'integer', (c) => c.notNull())
    .addColumn('duplicates', 'integer', (c) => c.notNull())
    .addColumn('rejected', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ingest_stats_workspace_idx')
    .on('ingest_stats')
    .columns(['workspace_id', 'recorded_at'])
    .execute();
  await sql`create index ingest_stats_recorded_brin on ingest_stats using brin (recorded_at)`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: frozen migration, see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'ingest_stats',
    'metric_rollups',
    'event_rollups',
    'rollup_dirty',
    'metric_points',
    'event_ids',
    'events',
    'api_keys',
  ]) {
    await db.schema.dropTable(table).ifExists().cascade().execute();
  }
  await sql`drop sequence if exists metric_points_id_seq`.execute(db);
}
