import type { Database } from '@pulse/db';
import type { Kysely } from 'kysely';

/**
 * Retention sweeps every workspace at once (one statement per table, by time), so these are
 * the rare queries that deliberately bypass WorkspaceScope: they filter on time alone and
 * never read a row out.
 */
export async function deleteExpiredRows(
  db: Kysely<Database>,
  cutoffs: { raw: Date; rollups: Date },
) {
  const count = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);
  // Ids of events retention has dropped: nothing left for them to deduplicate against.
  const eventIds = await db
    .deleteFrom('event_ids')
    .where('timestamp', '<', cutoffs.raw)
    .executeTakeFirstOrThrow();
  // A mark older than the raw data can only make a rollup forget what it summarised.
  const dirtyMarks = await db
    .deleteFrom('rollup_dirty')
    .where('bucket', '<', cutoffs.raw)
    .executeTakeFirstOrThrow();
  const ingestStats = await db
    .deleteFrom('ingest_stats')
    .where('recorded_at', '<', cutoffs.raw)
    .executeTakeFirstOrThrow();
  // Data-quality reports count raw events: their kept counts go with the raw rows, so a report
  // over expired hours is the same whether it reads the kept rows or the (dropped) events.
  const qualityRollups = await db
    .deleteFrom('quality_rollups')
    .where('bucket', '<', cutoffs.raw)
    .executeTakeFirstOrThrow();
  const qualityLagRollups = await db
    .deleteFrom('quality_lag_rollups')
    .where('bucket', '<', cutoffs.raw)
    .executeTakeFirstOrThrow();
  const qualityLagBands = await db
    .deleteFrom('quality_lag_bands')
    .where('bucket', '<', cutoffs.raw)
    .executeTakeFirstOrThrow();
  const eventRollups = await db
    .deleteFrom('event_rollups')
    .where('bucket', '<', cutoffs.rollups)
    .executeTakeFirstOrThrow();
  const metricRollups = await db
    .deleteFrom('metric_rollups')
    .where('bucket', '<', cutoffs.rollups)
    .executeTakeFirstOrThrow();
  const commerceRollups = await db
    .deleteFrom('commerce_rollups')
    .where('bucket', '<', cutoffs.rollups)
    .executeTakeFirstOrThrow();
  // Kept counts outlive the raw events they were counted from (they cannot be recounted then),
  // but not the rollups of their windows.
  const windowPeople = await db
    .deleteFrom('analytics_window_people')
    .where('bucket', '<', cutoffs.rollups)
    .executeTakeFirstOrThrow();
  return {
    eventIds: count(eventIds),
    dirtyMarks: count(dirtyMarks),
    ingestStats: count(ingestStats),
    qualityRollups: count(qualityRollups),
    qualityLagRollups: count(qualityLagRollups),
    qualityLagBands: count(qualityLagBands),
    eventRollups: count(eventRollups),
    metricRollups: count(metricRollups),
    commerceRollups: count(commerceRollups),
    windowPeople: count(windowPeople),
  };
}
