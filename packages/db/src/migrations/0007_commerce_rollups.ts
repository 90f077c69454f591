import { type Kysely, sql } from 'kysely';

// Frozen once landed: typed against Kysely<any> so later schema changes never break it.
// biome-ignore lint/suspicious/noExplicitAny: see above.
export async function up(db: Kysely<any>): Promise<void> {
  // Events and revenue (Σ price × quantity of the event columns, as event_rollups counts it)
  // per hour or UTC day, event type, product and currency. Every type is kept, not only the
  // configured purchase type, so a change of the commerce settings never invalidates a row.
  // Not versioned by the history triggers of 0005: every row is derived from raw events and
  // rewritten by the rollup job, so there is nothing to travel back to that the events lack.
  await sql`
    create table commerce_rollups (
      workspace_id uuid not null references workspaces(id) on delete cascade,
      resolution text not null check (resolution in ('1h', '1d')),
      bucket timestamptz not null,
      type text not null,
      product_id text,
      currency text,
      count bigint not null,
      revenue numeric not null,
      updated_at timestamptz not null default now()
    )`.execute(db);
  // Reads rank one type over a range; the job replaces whole buckets.
  await sql`
    create index commerce_rollups_read_idx
    on commerce_rollups (workspace_id, resolution, type, bucket)`.execute(db);
  await sql`
    create index commerce_rollups_bucket_idx
    on commerce_rollups (workspace_id, resolution, bucket)`.execute(db);

  // Existing events are summarised once here; from now on the events rollup job keeps the
  // table up to date. Events still marked dirty are read raw by every reader until the job
  // has recomputed their hour, so a mark pending at this point loses nothing.
  await sql`
    insert into commerce_rollups (workspace_id, resolution, bucket, type, product_id, currency,
                                  count, revenue)
    select workspace_id, '1h', to_timestamp(floor(extract(epoch from timestamp) / 3600) * 3600),
           type, product_id, currency, count(*), coalesce(sum(price * coalesce(quantity, 1)), 0)
    from events
    group by 1, 3, 4, 5, 6`.execute(db);
  await sql`
    insert into commerce_rollups (workspace_id, resolution, bucket, type, product_id, currency,
                                  count, revenue)
    select workspace_id, '1d', to_timestamp(floor(extract(epoch from bucket) / 86400) * 86400),
           type, product_id, currency, sum(count), sum(revenue)
    from commerce_rollups
    where resolution = '1h'
    group by 1, 3, 4, 5, 6`.execute(db);

  // The distinct people and sessions of a workspace's last 24 closed hours, which no rollup
  // can add up to: counted from raw events once per window and reused while no event of the
  // window was rolled up after `computed_at` and none is still marked dirty. One row per
  // workspace: the newest window replaces the one before.
  await sql`
    create table recent_activity_windows (
      workspace_id uuid primary key references workspaces(id) on delete cascade,
      window_start timestamptz not null,
      window_end timestamptz not null,
      events bigint not null,
      people bigint not null,
      sessions bigint not null,
      computed_at timestamptz not null
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: frozen migration, see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('recent_activity_windows').ifExists().execute();
  await db.schema.dropTable('commerce_rollups').ifExists().execute();
}
