import { type Kysely, sql } from 'kysely';

// Frozen once landed: typed against Kysely<any> so later schema changes never break it.
// biome-ignore lint/suspicious/noExplicitAny: see above.
export async function up(db: Kysely<any>): Promise<void> {
  // What analytics.dataQuality counts per event, summed per hour and event type. Per type so
  // the counts that depend on the declared types (unknown types, invalid events) are derived at
  // read time from whatever schemas and commerce settings the workspace has then: a schema
  // change never invalidates a row. `invalid_values` counts a bad price or quantity or a
  // future timestamp; an event of an undeclared type is invalid whatever it carries.
  await sql`
    create table quality_rollups (
      workspace_id uuid not null references workspaces(id) on delete cascade,
      bucket timestamptz not null,
      type text not null,
      events bigint not null,
      missing_user_id bigint not null,
      missing_anonymous_id bigint not null,
      missing_identity bigint not null,
      missing_session bigint not null,
      missing_product_id bigint not null,
      missing_currency bigint not null,
      negative_price bigint not null,
      absurd_price bigint not null,
      negative_quantity bigint not null,
      absurd_quantity bigint not null,
      future bigint not null,
      invalid_values bigint not null,
      updated_at timestamptz not null default now(),
      primary key (workspace_id, bucket, type)
    )`.execute(db);
  // Exact lag percentiles cannot be added up from summaries, but a multiset can: every
  // distinct lag of the hour (in seconds, as the raw percentile orders it) with its events.
  // Arrival stamps have millisecond precision, so lags repeat and an hour keeps far fewer
  // rows than events.
  await sql`
    create table quality_lag_rollups (
      workspace_id uuid not null references workspaces(id) on delete cascade,
      bucket timestamptz not null,
      lag float8 not null,
      events bigint not null,
      primary key (workspace_id, bucket, lag)
    )`.execute(db);
  // The same lags in bands (10 ms wide below 10 s, 1 s below 1,000 s, 1 h beyond), so a read
  // finds the bands holding the percentile ranks from a few hundred rows per hour, then reads
  // the exact lags of those bands only, however many distinct lags the hours have.
  // min_lag and max_lag bound the band's lags: bands never overlap, so the exact rows between
  // them are the band's.
  await sql`
    create table quality_lag_bands (
      workspace_id uuid not null references workspaces(id) on delete cascade,
      bucket timestamptz not null,
      band int4 not null,
      events bigint not null,
      min_lag float8 not null,
      max_lag float8 not null,
      primary key (workspace_id, bucket, band)
    )`.execute(db);

  // Existing events are counted once here; from now on the events rollup job keeps both tables
  // up to date. Hours still marked dirty are read raw until the job has recomputed them.
  const hour = sql`to_timestamp(floor(extract(epoch from timestamp) / 3600) * 3600)`;
  const blank = (column: string) => sql`coalesce(${sql.ref(column)}, '') = ''`;
  const future = sql`timestamp > received_at + interval '60 seconds'`;
  await sql`
    insert into quality_rollups (workspace_id, bucket, type, events, missing_user_id,
      missing_anonymous_id, missing_identity, missing_session, missing_product_id,
      missing_currency, negative_price, absurd_price, negative_quantity, absurd_quantity, future,
      invalid_values)
    select workspace_id, ${hour}, type, count(*),
      count(*) filter (where ${blank('user_id')}),
      count(*) filter (where ${blank('anonymous_id')}),
      count(*) filter (where ${blank('user_id')} and ${blank('anonymous_id')}),
      count(*) filter (where ${blank('session_id')}),
      count(*) filter (where ${blank('product_id')}),
      count(*) filter (where ${blank('currency')}),
      count(*) filter (where price < 0),
      count(*) filter (where price > 1000000),
      count(*) filter (where quantity < 0),
      count(*) filter (where quantity > 10000),
      count(*) filter (where ${future}),
      count(*) filter (where (price < 0 or price > 1000000) or (quantity < 0 or quantity > 10000)
                             or ${future})
    from events
    group by 1, 2, 3`.execute(db);
  await sql`
    insert into quality_lag_rollups (workspace_id, bucket, lag, events)
    select workspace_id, ${hour}, greatest(0, extract(epoch from received_at - timestamp))::float8,
           count(*)
    from events
    group by 1, 2, 3`.execute(db);
  const band = sql`case when lag < 10 then floor(lag * 100)::int4
    when lag < 1000 then 1000 + floor(lag)::int4
    else 2000 + floor(lag / 3600)::int4 end`;
  await sql`
    insert into quality_lag_bands (workspace_id, bucket, band, events, min_lag, max_lag)
    select workspace_id, bucket, ${band}, sum(events), min(lag), max(lag)
    from quality_lag_rollups
    group by 1, 2, 3`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: frozen migration, see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('quality_lag_bands').ifExists().execute();
  await db.schema.dropTable('quality_lag_rollups').ifExists().execute();
  await db.schema.dropTable('quality_rollups').ifExists().execute();
}
