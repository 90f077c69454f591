import type { RollupResolution, WorkspaceScope } from '@pulse/db';
import { type RawBuilder, sql } from 'kysely';
import { epochBucket, sketchCellColumns, sketchFromCells } from './metrics.queries.js';

/** What to read: computed and validated by the service. */
export interface AggregatePlan {
  name: string;
  /** [from, to) over raw timestamps. */
  from: Date;
  to: Date;
  intervalSeconds: number;
  tags: Record<string, string>;
  groupBy?: string;
  /**
   * The resolution-aligned middle of the range served by rollups (absent: raw points only).
   * Whatever lies outside it, or in a bucket still marked dirty, is read from raw points.
   */
  rollups?: {
    resolution: RollupResolution;
    from: Date;
    to: Date;
    /**
     * For hour rollups: the minute-aligned span around [from, to) whose parts outside it are
     * served by minute rollups, so raw points are read only for the sub-minute slivers at the
     * very edges (and for buckets still marked dirty).
     */
    minutes?: { from: Date; to: Date };
  };
}

export interface StatsRow {
  bucket: Date;
  grp: string | null;
  count: number;
  sum: number;
  min: number;
  max: number;
}

export interface SketchRow {
  bucket: Date;
  grp: string | null;
  sketch: unknown;
}

export interface PercentileRow {
  bucket: Date;
  grp: string | null;
  value: number;
}

const RESOLUTION_SECONDS = { '1m': 60, '1h': 3600 } as const;

/**
 * The rollup rows and raw points that together cover the plan's range exactly once: the
 * core from rollups of the plan's resolution, the minute-aligned parts of the edges around an
 * hour core from minute rollups, and raw points only over explicit ranges (the sub-minute
 * edges and the buckets still marked dirty), so a long range never walks its raw points. One
 * statement, so marks, rollups and raw rows come from one snapshot: a rollup job committing
 * meanwhile can neither hide a point nor count it twice (it rewrites a minute's 1m rows, the
 * hour's 1h rows and deletes their marks in one transaction).
 */
function sources(scope: WorkspaceScope, plan: AggregatePlan) {
  const core = plan.rollups ?? { resolution: '1m' as const, from: plan.from, to: plan.from };
  const seconds = RESOLUTION_SECONDS[core.resolution];
  // Without minute edges the edge ranges are empty and every branch over them reads nothing.
  const minutes = plan.rollups?.minutes ?? { from: core.from, to: core.to };
  const tags = JSON.stringify(plan.tags);
  return sql`
    stale as (
      select distinct ${epochBucket(sql`d.bucket`, seconds)} as bucket
      from rollup_dirty d
      where d.workspace_id = ${scope.workspaceId} and d.source = 'metrics'
        and d.bucket >= ${core.from} and d.bucket < ${core.to}
    ),
    -- The two minute-aligned edges around the core (either may be empty).
    minute_ranges as (
      select ${minutes.from}::timestamptz as lo, ${core.from}::timestamptz as hi
      union all
      select ${core.to}::timestamptz, ${minutes.to}::timestamptz
    ),
    stale_minutes as (
      select distinct ${epochBucket(sql`d.bucket`, 60)} as bucket
      from rollup_dirty d
      join minute_ranges m on d.bucket >= m.lo and d.bucket < m.hi
      where d.workspace_id = ${scope.workspaceId} and d.source = 'metrics'
        and d.bucket >= ${minutes.from} and d.bucket < ${minutes.to}
    ),
    rolled as (
      select r.bucket as at, r.tags, r.count, r.sum, r.min, r.max, r.sketch
      from metric_rollups r
      where r.workspace_id = ${scope.workspaceId} and r.resolution = ${core.resolution}
        and r.name = ${plan.name} and r.bucket >= ${core.from} and r.bucket < ${core.to}
        and r.tags @> ${tags}::jsonb
        and r.bucket not in (select bucket from stale)
      union all
      -- One index probe per edge; OFFSET 0 keeps the planner from flattening it into a join
      -- that walks every minute row of the whole span.
      select r.at, r.tags, r.count, r.sum, r.min, r.max, r.sketch
      from minute_ranges m
      cross join lateral (
        select bucket as at, tags, count, sum, min, max, sketch from metric_rollups
        where workspace_id = ${scope.workspaceId} and resolution = '1m' and name = ${plan.name}
          and bucket >= m.lo and bucket < m.hi
          and bucket >= ${minutes.from} and bucket < ${minutes.to}
          and tags @> ${tags}::jsonb
        offset 0
      ) r
      where r.at not in (select bucket from stale_minutes)
    ),
    -- Disjoint by construction: the raw edges lie outside the minute span, stale minutes in
    -- its edges, stale buckets in the core.
    raw_ranges as (
      select ${plan.from}::timestamptz as lo, ${minutes.from}::timestamptz as hi
      union all
      select ${minutes.to}::timestamptz, ${plan.to}::timestamptz
      union all
      select bucket, bucket + ${seconds}::int * interval '1 second' from stale
      union all
      select bucket, bucket + interval '1 minute' from stale_minutes
    ),
    -- One index probe per range. Joined plainly, the planner reads every point of the whole
    -- range (the outer bounds are all it can use as index conditions) and filters them against
    -- each range afterwards; OFFSET 0 keeps it from flattening the LATERAL subquery back into
    -- that join. The outer bounds still prune metric_points to the days involved.
    raw as (
      select p.at, p.tags, p.value
      from raw_ranges g
      cross join lateral (
        select timestamp as at, tags, value from metric_points
        where workspace_id = ${scope.workspaceId} and name = ${plan.name}
          and timestamp >= g.lo and timestamp < g.hi
          and timestamp >= ${plan.from} and timestamp < ${plan.to}
          and tags @> ${tags}::jsonb
        offset 0
      ) p
    )`;
}

function bucketOf(plan: AggregatePlan): RawBuilder<Date> {
  return epochBucket(sql`at`, plan.intervalSeconds);
}

function groupOf(plan: AggregatePlan): RawBuilder<string | null> {
  return plan.groupBy ? sql<string>`tags ->> ${plan.groupBy}` : sql<null>`null::text`;
}

/** count, sum, min and max per bucket and group: enough for count/sum/avg/min/max. */
export async function aggregateStats(
  scope: WorkspaceScope,
  plan: AggregatePlan,
): Promise<StatsRow[]> {
  const { rows } = await scope.executeRaw(sql<StatsRow>`
    with ${sources(scope, plan)},
    combined as (
      select ${bucketOf(plan)} as bucket, ${groupOf(plan)} as grp,
             count::float8 as count, sum, min, max
      from rolled
      union all
      select ${bucketOf(plan)} as bucket, ${groupOf(plan)} as grp,
             count(*)::float8, sum(value), min(value), max(value)
      from raw group by 1, 2
    )
    select bucket, grp, sum(count)::float8 as count, sum(sum) as sum, min(min) as min,
           max(max) as max
    from combined group by bucket, grp
    order by bucket, grp nulls last`);
  return rows.map((row) => ({
    bucket: new Date(row.bucket),
    grp: row.grp,
    count: Number(row.count),
    sum: Number(row.sum),
    min: Number(row.min),
    max: Number(row.max),
  }));
}

/** Exact percentiles straight from raw points (plans without rollups). */
export async function aggregateRawPercentile(
  scope: WorkspaceScope,
  plan: AggregatePlan,
  quantile: number,
): Promise<PercentileRow[]> {
  const { rows } = await scope.executeRaw(sql<PercentileRow>`
    with ${sources(scope, plan)}
    select ${bucketOf(plan)} as bucket, ${groupOf(plan)} as grp,
           percentile_cont(${quantile}::float8) within group (order by value) as value
    from raw group by 1, 2
    order by 1, 2 nulls last`);
  return rows.map((row) => ({
    bucket: new Date(row.bucket),
    grp: row.grp,
    value: Number(row.value),
  }));
}

/**
 * Sketches to merge per bucket and group: the stored ones of the rollup rows, plus one built
 * here from the raw points that the rollups do not cover.
 */
export async function aggregateSketches(
  scope: WorkspaceScope,
  plan: AggregatePlan,
): Promise<SketchRow[]> {
  const { rows } = await scope.executeRaw(sql<SketchRow>`
    with ${sources(scope, plan)},
    cells as (
      select ${bucketOf(plan)} as bucket, ${groupOf(plan)} as grp,
             ${sketchCellColumns(sql`value`)}, count(*) as n
      from raw group by 1, 2, 3, 4
    )
    select ${bucketOf(plan)} as bucket, ${groupOf(plan)} as grp, sketch from rolled
    union all
    select bucket, grp, ${sketchFromCells} as sketch from cells group by bucket, grp`);
  return rows.map((row) => ({ bucket: new Date(row.bucket), grp: row.grp, sketch: row.sketch }));
}
