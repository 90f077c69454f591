import type { Database } from '@pulse/db';
import { type Kysely, sql } from 'kysely';
import {
  flagCounts,
  LAG_SECONDS,
  lagBand,
  QUALITY_FLAG_NAMES,
} from '../analytics/health/quality-flags.js';
import { type Bucket, bucketRows } from './rollup-runner.js';

/**
 * Rebuilds the `quality_rollups`, `quality_lag_rollups` and `quality_lag_bands` rows of the given hours from raw
 * events. Runs inside the events rollup transaction, after the runner has locked those
 * (workspace, hour) pairs, so the rows and the consumed dirty marks become visible together:
 * a reader sees either the mark (and reads the hour raw) or the new rows.
 */
export async function recomputeQualityRollups(
  trx: Kysely<Database>,
  hours: readonly Bucket[],
): Promise<void> {
  if (hours.length === 0) return;
  const target = sql`(select * from ${bucketRows(hours)} as t(workspace_id, bucket)) t`;
  // Delete, then insert: in one statement the insert could meet the rows it replaces on the
  // primary key.
  for (const table of ['quality_rollups', 'quality_lag_rollups', 'quality_lag_bands'] as const) {
    await sql`
      delete from ${sql.table(table)} r using ${target}
      where r.workspace_id = t.workspace_id and r.bucket = t.bucket`.execute(trx);
  }
  const flags = sql.join(QUALITY_FLAG_NAMES.map((name) => sql.ref(name)));
  // Each hour is read through LATERAL (an index range scan of one partition), never as one
  // join over the span between the oldest and the newest hour.
  await sql`
    insert into quality_rollups (workspace_id, bucket, type, events, ${flags})
    select t.workspace_id, t.bucket, e.*
    from ${target}
    cross join lateral (
      select type, count(*) as events, ${flagCounts()}
      from events
      where workspace_id = t.workspace_id
        and timestamp >= t.bucket and timestamp < t.bucket + interval '1 hour'
      group by type
      offset 0
    ) e`.execute(trx);
  await sql`
    insert into quality_lag_rollups (workspace_id, bucket, lag, events)
    select t.workspace_id, t.bucket, e.lag, e.events
    from ${target}
    cross join lateral (
      select ${LAG_SECONDS} as lag, count(*) as events
      from events
      where workspace_id = t.workspace_id
        and timestamp >= t.bucket and timestamp < t.bucket + interval '1 hour'
      group by 1
      offset 0
    ) e`.execute(trx);
  await sql`
    insert into quality_lag_bands (workspace_id, bucket, band, events, min_lag, max_lag)
    select r.workspace_id, r.bucket, ${lagBand(sql`r.lag`)}, sum(r.events), min(r.lag), max(r.lag)
    from ${target}
    join quality_lag_rollups r on r.workspace_id = t.workspace_id and r.bucket = t.bucket
    group by 1, 2, 3`.execute(trx);
}
