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
  rollups?: { resolution: RollupResolution; from: Date; to: Date };
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
 * The rollup rows and raw points that together cover the plan's range exactly once. Raw
 * points are read only over explicit ranges (the unaligned edges and the buckets still marked
 * dirty), so a long range never walks its raw points. One statement, so marks, rollups and
 * raw rows come from one snapshot: a rollup job committing meanwhile can neither hide a point
 * nor count it twice.
 */
function sources(scope: WorkspaceScope, plan: AggregatePlan) {
  const core = plan.rollups ?? { resolution: '1m' as const, from: plan.from, to: plan.from };
  const seconds = RESOLUTION_SECONDS[core.resolution];
  const tags = JSON.stringify(plan.tags);
  return sql`
    stale as (
      select distinct ${epochBucket(sql`d.bucket`, seconds)} as bucket
      from rollup_dirty d
      where d.workspace_id = ${scope.workspaceId} and d.source = 'metrics'
        and d.bucket >= ${core.from} and d.bucket < ${core.to}
    ),
    rolled as (
      select r.bucket as at, r.tags, r.count, r.sum, r.min, r.max, r.sketch
      from metric_rollups r
      where r.workspace_id = ${scope.workspaceId} and r.resolution = ${core.resolution}
        and r.name = ${plan.name} and r.bucket >= ${core.from} and r.bucket < ${core.to}
        and r.tags @> ${tags}::jsonb
        and r.bucket not in (select bucket from stale)
    ),
    -- Disjoint by construction: the edges lie outside the core, stale buckets inside it.
    raw_ranges as (
      select ${plan.from}::timestamptz as lo, ${core.from}::timestamptz as hi
      union all
      select ${core.to}::timestamptz, ${plan.to}::timestamptz
      union all
      select bucket, bucket + ${seconds}::int * interval '1 second' from stale
    ),
    raw as (
      select p.timestamp as at, p.tags, p.value
      from raw_ranges g
      join metric_points p on p.workspace_id = ${scope.workspaceId} and p.name = ${plan.name}
                          and p.timestamp >= g.lo and p.timestamp < g.hi
      where p.timestamp >= ${plan.from} and p.timestamp < ${plan.to}
        and p.tags @> ${tags}::jsonb
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
