import type { Database } from '@pulse/db';
import { type Kysely, sql } from 'kysely';
import { type Bucket, bucketRows } from './rollup-runner.js';

export const DAY_MS = 86_400_000;

/**
 * Rebuilds the `commerce_rollups` rows of the given hours from raw events, then the rows of
 * the UTC days they fall in from the hour rows. Runs inside the events rollup transaction,
 * after the runner has locked those (workspace, hour) pairs, so the hour rows and the
 * consumed dirty marks become visible together: a reader sees either the mark (and reads the
 * hour raw) or the new rows.
 */
export async function recomputeCommerceRollups(
  trx: Kysely<Database>,
  hours: readonly Bucket[],
): Promise<void> {
  if (hours.length === 0) return;
  await recomputeHours(trx, hours);
  const days = new Map<string, Bucket>();
  for (const hour of hours) {
    const at = Math.floor(hour.at / DAY_MS) * DAY_MS;
    days.set(`${hour.workspaceId}|${at}`, { workspaceId: hour.workspaceId, at });
  }
  const sorted = [...days.values()].sort((a, b) =>
    a.workspaceId === b.workspaceId ? a.at - b.at : a.workspaceId < b.workspaceId ? -1 : 1,
  );
  // Two runs holding different hours of one day would each sum the day without the other's
  // uncommitted hour; the day lock makes the second wait and then read the first's rows.
  // Taken after every hour lock and in sorted order, so no two runs can wait on each other.
  await sql`
    select pg_advisory_xact_lock(hashtext(${'commerce-day:'} || t.workspace_id), t.day)
    from unnest(${sorted.map((d) => d.workspaceId)}::text[],
                ${sorted.map((d) => d.at / DAY_MS)}::int4[]) as t(workspace_id, day)`.execute(trx);
  await recomputeDays(trx, sorted);
}

// Each hour is read through LATERAL (an index range scan of one partition), never as one
// join over the span between the oldest and the newest hour.
async function recomputeHours(trx: Kysely<Database>, hours: readonly Bucket[]) {
  await sql`
    with target as (
      select * from ${bucketRows(hours)} as t(workspace_id, bucket)
    ),
    gone as (
      delete from commerce_rollups r using target t
      where r.workspace_id = t.workspace_id and r.resolution = '1h' and r.bucket = t.bucket
    )
    insert into commerce_rollups (workspace_id, resolution, bucket, type, product_id, currency,
                                  count, revenue, updated_at)
    select t.workspace_id, '1h', t.bucket, e.type, e.product_id, e.currency, e.count, e.revenue,
           now()
    from target t
    cross join lateral (
      select type, product_id, currency, count(*) as count,
             coalesce(sum(price * coalesce(quantity, 1)), 0) as revenue
      from events
      where workspace_id = t.workspace_id
        and timestamp >= t.bucket and timestamp < t.bucket + interval '1 hour'
      group by type, product_id, currency
      offset 0
    ) e`.execute(trx);
}

async function recomputeDays(trx: Kysely<Database>, days: readonly Bucket[]) {
  await sql`
    with target as (
      select * from ${bucketRows(days)} as t(workspace_id, bucket)
    ),
    gone as (
      delete from commerce_rollups r using target t
      where r.workspace_id = t.workspace_id and r.resolution = '1d' and r.bucket = t.bucket
    )
    insert into commerce_rollups (workspace_id, resolution, bucket, type, product_id, currency,
                                  count, revenue, updated_at)
    select t.workspace_id, '1d', t.bucket, r.type, r.product_id, r.currency, sum(r.count),
           sum(r.revenue), now()
    from target t
    join commerce_rollups r on r.workspace_id = t.workspace_id and r.resolution = '1h'
                           and r.bucket >= t.bucket
                           and r.bucket < t.bucket + interval '24 hours'
    group by t.workspace_id, t.bucket, r.type, r.product_id, r.currency`.execute(trx);
}
