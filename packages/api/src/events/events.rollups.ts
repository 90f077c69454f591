import type { Database } from '@pulse/db';
import { type Kysely, sql } from 'kysely';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export interface RollupOptions {
  /** Dirty marks claimed (and buckets recomputed) per transaction. */
  batchSize?: number;
  /** Transactions per call at most, so one call (one job tick) stays bounded under load. */
  maxBatches?: number;
  /**
   * Marks for buckets before this are consumed without recomputing: their raw events are gone
   * to retention, and recomputing from what is left would erase rollups kept for longer.
   */
  since?: Date;
}

interface Bucket {
  workspaceId: string;
  at: number;
}

/**
 * Brings `event_rollups` up to date with every minute marked dirty by ingestion. Each minute
 * is recomputed from the raw events and replaces what was stored, so a late event or a rerun
 * never counts anything twice; marks are deleted in the same transaction as the rows they
 * caused, so a crash leaves them for the next run. Cross-workspace by nature (one job for all
 * tenants): every statement joins on `workspace_id`.
 */
export async function recomputeEventRollups(
  db: Kysely<Database>,
  options: RollupOptions = {},
): Promise<{ buckets: number }> {
  const batchSize = options.batchSize ?? 1_000;
  const maxBatches = options.maxBatches ?? 50;
  let buckets = 0;
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const outcome = await db
      .transaction()
      .execute((trx) => rollUpClaimedMinutes(trx, batchSize, options.since));
    buckets += outcome.buckets;
    if (outcome.claimed < batchSize) break;
  }
  return { buckets };
}

async function rollUpClaimedMinutes(trx: Kysely<Database>, batchSize: number, since?: Date) {
  // SKIP LOCKED: concurrent runs (several workers, or a slow tick overlapping the next) split
  // the marks between them instead of waiting on each other.
  const { rows: marks } = await sql<{ workspace_id: string; bucket: Date | string }>`
    delete from rollup_dirty
    where ctid in (
      select ctid from rollup_dirty where source = 'events'
      limit ${batchSize} for update skip locked)
    returning workspace_id, bucket`.execute(trx);

  const minutes = distinctBuckets(marks, MINUTE_MS, since);
  if (minutes.length === 0) return { claimed: marks.length, buckets: 0 };
  const hours = distinctBuckets(
    minutes.map((m) => ({ workspace_id: m.workspaceId, bucket: new Date(m.at) })),
    HOUR_MS,
  );

  // Two runs holding different minutes of one hour would each write that hour from a view
  // missing the other's minute, so each (workspace, hour) is recomputed by one transaction at
  // a time. Locks are taken in sorted order; a deadlock (only via a hash collision) rolls one
  // run back with its marks intact.
  await sql`
    select pg_advisory_xact_lock(hashtext(t.workspace_id), t.hour)
    from unnest(${hours.map((h) => h.workspaceId)}::text[],
                ${hours.map((h) => h.at / HOUR_MS)}::int4[]) as t(workspace_id, hour)`.execute(trx);

  await recomputeMinutes(trx, minutes);
  await recomputeHours(trx, hours);
  return { claimed: marks.length, buckets: minutes.length };
}

function distinctBuckets(
  marks: readonly { workspace_id: string; bucket: Date | string }[],
  sizeMs: number,
  since?: Date,
): Bucket[] {
  const found = new Map<string, Bucket>();
  for (const mark of marks) {
    const time = new Date(mark.bucket).getTime();
    if (since && time < since.getTime()) continue;
    const at = Math.floor(time / sizeMs) * sizeMs;
    found.set(`${mark.workspace_id}|${at}`, { workspaceId: mark.workspace_id, at });
  }
  return [...found.values()].sort((a, b) =>
    a.workspaceId === b.workspaceId ? a.at - b.at : a.workspaceId < b.workspaceId ? -1 : 1,
  );
}

// Each target bucket is read through LATERAL (an index range scan of one partition), never
// as one join over the span from the oldest to the newest bucket: a single late event from
// last week must not make the job scan a week of events.
const targets = (buckets: readonly Bucket[]) => sql`
  unnest(${buckets.map((b) => b.workspaceId)}::uuid[],
         ${buckets.map((b) => new Date(b.at).toISOString())}::timestamptz[])`;

/** Per type: count, distinct users (id, else anonymous id), revenue = Σ price × quantity. */
async function recomputeMinutes(trx: Kysely<Database>, minutes: readonly Bucket[]) {
  await sql`
    with target as (
      select * from ${targets(minutes)} as t(workspace_id, bucket)
    ),
    fresh as (
      select t.workspace_id, t.bucket, e.type, e.count, e.users, e.revenue
      from target t
      cross join lateral (
        select type, count(*) as count,
               count(distinct coalesce(user_id, anonymous_id)) as users,
               coalesce(sum(price * coalesce(quantity, 1)), 0) as revenue
        from events
        where workspace_id = t.workspace_id
          and timestamp >= t.bucket and timestamp < t.bucket + interval '1 minute'
        group by type
        offset 0
      ) e
    ),
    gone as (
      delete from event_rollups r using target t
      where r.workspace_id = t.workspace_id and r.resolution = '1m' and r.bucket = t.bucket
        and not exists (select 1 from fresh f where f.workspace_id = r.workspace_id
                          and f.bucket = r.bucket and f.type = r.type)
    )
    insert into event_rollups (workspace_id, resolution, bucket, type, count, users, revenue, updated_at)
    select workspace_id, '1m', bucket, type, count, users, revenue, now() from fresh
    on conflict (workspace_id, resolution, bucket, type) do update
      set count = excluded.count, users = excluded.users, revenue = excluded.revenue,
          updated_at = excluded.updated_at`.execute(trx);
}

/**
 * Count and revenue add up from the minute rows; distinct users do not (one user active in
 * two minutes is one user in the hour), so they are counted again from the hour's raw events.
 */
async function recomputeHours(trx: Kysely<Database>, hours: readonly Bucket[]) {
  await sql`
    with target as (
      select * from ${targets(hours)} as t(workspace_id, bucket)
    ),
    sums as (
      select t.workspace_id, t.bucket, r.type, sum(r.count) as count, sum(r.revenue) as revenue
      from target t
      join event_rollups r on r.workspace_id = t.workspace_id and r.resolution = '1m'
                          and r.bucket >= t.bucket and r.bucket < t.bucket + interval '1 hour'
      group by t.workspace_id, t.bucket, r.type
    ),
    people as (
      select t.workspace_id, t.bucket, e.type, e.users
      from target t
      cross join lateral (
        select type, count(distinct coalesce(user_id, anonymous_id)) as users
        from events
        where workspace_id = t.workspace_id
          and timestamp >= t.bucket and timestamp < t.bucket + interval '1 hour'
        group by type
        offset 0
      ) e
    ),
    fresh as (
      select s.workspace_id, s.bucket, s.type, s.count, coalesce(p.users, 0) as users, s.revenue
      from sums s
      left join people p on p.workspace_id = s.workspace_id and p.bucket = s.bucket
                        and p.type = s.type
    ),
    gone as (
      delete from event_rollups r using target t
      where r.workspace_id = t.workspace_id and r.resolution = '1h' and r.bucket = t.bucket
        and not exists (select 1 from fresh f where f.workspace_id = r.workspace_id
                          and f.bucket = r.bucket and f.type = r.type)
    )
    insert into event_rollups (workspace_id, resolution, bucket, type, count, users, revenue, updated_at)
    select workspace_id, '1h', bucket, type, count, users, revenue, now() from fresh
    on conflict (workspace_id, resolution, bucket, type) do update
      set count = excluded.count, users = excluded.users, revenue = excluded.revenue,
          updated_at = excluded.updated_at`.execute(trx);
}
