import type { RollupResolution } from '@pulse/db';
import type { WorkspaceContext } from '../auth/caller.js';
import { PulseError } from '../errors.js';
import {
  type AggregatePlan,
  aggregateRawPercentile,
  aggregateSketches,
  aggregateStats,
} from './metrics.aggregate.queries.js';
import {
  type AggregateFn,
  type AggregateMetricsInput,
  type AggregateMetricsOutput,
  MAX_AGGREGATE_BUCKETS,
} from './metrics.contract.js';
import { parseTagFilters } from './metrics.filters.js';
import { emptySketch, mergeInto, parseSketch, type Sketch, sketchQuantile } from './sketch.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;
// Ten years: beyond that one bucket per range is the only sensible answer anyway.
const MAX_INTERVAL_SECONDS = 3_650 * 86_400;
const QUANTILES: Partial<Record<AggregateFn, number>> = { p50: 0.5, p95: 0.95, p99: 0.99 };

// Below these ranges raw points are cheap enough, and exact.
const HOUR_ROLLUPS_ABOVE_MS = 6 * HOUR_MS;
const MINUTE_ROLLUPS_ABOVE_MS = 30 * MINUTE_MS;

type SeriesPoint = AggregateMetricsOutput['series'][number];

export async function aggregateMetrics(
  ctx: WorkspaceContext,
  input: AggregateMetricsInput,
): Promise<AggregateMetricsOutput> {
  const to = input.to ? new Date(input.to) : new Date();
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - HOUR_MS);
  if (from >= to) {
    throw new PulseError('VALIDATION_FAILED', 'from must be before to', { field: 'from' });
  }
  const intervalSeconds = parseInterval(input.interval);
  const intervalMs = intervalSeconds * 1000;
  const buckets =
    Math.floor((to.getTime() - 1) / intervalMs) - Math.floor(from.getTime() / intervalMs) + 1;
  if (buckets > MAX_AGGREGATE_BUCKETS) {
    throw new PulseError(
      'VALIDATION_FAILED',
      `interval ${input.interval} gives ${buckets} buckets over this range; at most ${MAX_AGGREGATE_BUCKETS} (widen the interval or shorten the range)`,
      { field: 'interval' },
    );
  }
  const plan: AggregatePlan = {
    name: input.name,
    from,
    to,
    intervalSeconds,
    tags: parseTagFilters(input.tags, 'tags') ?? {},
    groupBy: input.groupBy,
    rollups: rollupCoverage(from, to, intervalMs),
  };
  const series = sortSeries(await computeSeries(ctx, plan, input.fn));
  return {
    name: input.name,
    fn: input.fn,
    interval: input.interval,
    from: from.toISOString(),
    to: to.toISOString(),
    resolution: plan.rollups?.resolution ?? 'raw',
    series: series.map(({ bucket, value, group }) => ({
      bucket,
      value,
      ...(input.groupBy ? { group } : {}),
    })),
  };
}

function parseInterval(interval: string): number {
  const unit = interval.at(-1) as keyof typeof UNIT_SECONDS;
  const seconds = Number(interval.slice(0, -1)) * UNIT_SECONDS[unit];
  if (!(seconds > 0 && seconds <= MAX_INTERVAL_SECONDS)) {
    throw new PulseError('VALIDATION_FAILED', 'interval must be between 1s and 3650d', {
      field: 'interval',
    });
  }
  return seconds;
}

/**
 * Hour rollups for long ranges in whole hours, minute rollups for ranges over half an hour in
 * whole minutes; only the resolution-aligned middle of the range, since a rollup row cannot
 * be cut at an arbitrary `from` or `to`. Around an hour core, minute rollups serve the whole
 * minutes of the edges.
 */
function rollupCoverage(from: Date, to: Date, intervalMs: number): AggregatePlan['rollups'] {
  const range = to.getTime() - from.getTime();
  let resolution: RollupResolution | undefined;
  if (intervalMs % HOUR_MS === 0 && range > HOUR_ROLLUPS_ABOVE_MS) resolution = '1h';
  else if (intervalMs % MINUTE_MS === 0 && range > MINUTE_ROLLUPS_ABOVE_MS) resolution = '1m';
  if (!resolution) return undefined;
  const size = resolution === '1h' ? HOUR_MS : MINUTE_MS;
  const coreFrom = Math.ceil(from.getTime() / size) * size;
  const coreTo = Math.floor(to.getTime() / size) * size;
  if (coreFrom >= coreTo) return undefined;
  const core = { resolution, from: new Date(coreFrom), to: new Date(coreTo) };
  if (resolution !== '1h') return core;
  // The partial hours at the edges come from minute rollups down to whole minutes: up to two
  // hours of raw points would otherwise be read for every request.
  const minutes = {
    from: new Date(Math.ceil(from.getTime() / MINUTE_MS) * MINUTE_MS),
    to: new Date(Math.floor(to.getTime() / MINUTE_MS) * MINUTE_MS),
  };
  return { ...core, minutes };
}

async function computeSeries(
  ctx: WorkspaceContext,
  plan: AggregatePlan,
  fn: AggregateFn,
): Promise<SeriesPoint[]> {
  const quantile = QUANTILES[fn];
  if (quantile === undefined) {
    const rows = await aggregateStats(ctx.scope, plan);
    return rows.map((row) => ({
      bucket: row.bucket.toISOString(),
      group: row.grp,
      value: statValue(fn, row),
    }));
  }
  if (!plan.rollups) {
    const rows = await aggregateRawPercentile(ctx.scope, plan, quantile);
    return rows.map((row) => ({
      bucket: row.bucket.toISOString(),
      group: row.grp,
      value: row.value,
    }));
  }
  const merged = new Map<string, { bucket: string; group: string | null; sketch: Sketch }>();
  for (const row of await aggregateSketches(ctx.scope, plan)) {
    const bucket = row.bucket.toISOString();
    const key = JSON.stringify([bucket, row.grp]);
    const entry = merged.get(key) ?? { bucket, group: row.grp, sketch: emptySketch() };
    mergeInto(entry.sketch, parseSketch(row.sketch));
    merged.set(key, entry);
  }
  return [...merged.values()].flatMap(({ bucket, group, sketch }) => {
    const value = sketchQuantile(sketch, quantile);
    return value === undefined ? [] : [{ bucket, group, value }];
  });
}

function statValue(
  fn: AggregateFn,
  row: { count: number; sum: number; min: number; max: number },
): number {
  switch (fn) {
    case 'count':
      return row.count;
    case 'sum':
      return row.sum;
    case 'min':
      return row.min;
    case 'max':
      return row.max;
    default:
      return row.sum / row.count;
  }
}

/** Time first, then group by code point with the tag-less group last, whatever the source. */
function sortSeries(series: SeriesPoint[]): SeriesPoint[] {
  return series.sort((a, b) => {
    if (a.bucket !== b.bucket) return a.bucket < b.bucket ? -1 : 1;
    if (a.group === b.group) return 0;
    if (a.group === null || a.group === undefined) return 1;
    if (b.group === null || b.group === undefined) return -1;
    return a.group < b.group ? -1 : 1;
  });
}
