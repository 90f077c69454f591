import type { Database } from '@pulse/db';
import { type Kysely, sql } from 'kysely';
import { recomputeCommerceRollups } from '../rollups/commerce-rollups.js';
import { recomputeQualityRollups } from '../rollups/quality-rollups.js';
import {
  type Bucket,
  bucketRows,
  type RollupOptions,
  runRollups,
} from '../rollups/rollup-runner.js';

export type { RollupOptions };

/**
 * Brings `event_rollups` up to date with every minute marked dirty by ingestion: each minute's
 * 1m rows are recomputed from the raw events and replace what was stored, then the hours they
 * belong to (see rollup-runner.ts for claiming, locking and crash safety).
 */
export function recomputeEventRollups(
  db: Kysely<Database>,
  options: RollupOptions = {},
): Promise<{ buckets: number }> {
  return runRollups(db, 'events', options, async (trx, { minutes, hours }) => {
    await recomputeMinutes(trx, minutes);
    await recomputeHours(trx, hours);
    await recomputeCommerceRollups(trx, hours);
    await recomputeQualityRollups(trx, hours);
  });
}

// Each target bucket is read through LATERAL (an index range scan of one partition), never
// as one join over the span from the oldest to the newest bucket: a single late event from
// last week must not make the job scan a week of events.
const targets = bucketRows;

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
