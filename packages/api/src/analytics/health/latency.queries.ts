import type { WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';

export interface LagRow {
  /** null on the total row of the grouping set. */
  minute: Date | null;
  events: string;
  p50: number | null;
  p95: number | null;
  max: number | null;
}

/** Backfills (stamped over a day before arrival) are not latency; the bound also prunes partitions. */
export const BACKFILL_HORIZON_MS = 24 * 3_600_000;

/**
 * Lag by minute of arrival plus the total over [from, to), in one pass. `received_at` has no
 * index, so the timestamp bound (arrivals cannot be older than the horizon, nor stamped more
 * than a day ahead, which ingestion refuses) keeps the scan to the partitions that matter.
 */
export async function lagByMinute(scope: WorkspaceScope, from: Date, to: Date): Promise<LagRow[]> {
  const oldest = new Date(from.getTime() - BACKFILL_HORIZON_MS);
  const newest = new Date(to.getTime() + BACKFILL_HORIZON_MS);
  const { rows } = await scope.executeRaw(sql<LagRow>`
    with arrivals as (
      select date_trunc('minute', received_at) as minute,
             greatest(0, extract(epoch from received_at - timestamp))::float8 as lag
      from events
      where workspace_id = ${scope.workspaceId}::uuid
        and received_at >= ${from} and received_at < ${to}
        and timestamp >= ${oldest} and timestamp < ${newest}
        and received_at - timestamp <= ${`${BACKFILL_HORIZON_MS / 1000} seconds`}::interval
    )
    select minute, count(*) as events,
           percentile_cont(0.5) within group (order by lag) as p50,
           percentile_cont(0.95) within group (order by lag) as p95,
           max(lag) as max
    from arrivals
    group by grouping sets ((minute), ())
    order by minute nulls first`);
  return rows;
}
