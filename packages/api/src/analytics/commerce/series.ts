import type { WorkspaceContext } from '../../auth/caller.js';
import { cachedRead } from '../../cached-read.js';
import { PulseError } from '../../errors.js';
import { aggregateMetrics } from '../../metrics/metrics.aggregate.js';
import type { AggregateFn } from '../../metrics/metrics.contract.js';
import { type TypeWindowRow, typeStatsPerWindow } from './commerce.queries.js';
import { ANY_TYPE, peoplePerWindow } from './people.queries.js';
import type { SeriesKind, SeriesPoint } from './series.contract.js';
import { COMMERCE_CACHE_TOPIC, getCommerceSettings, revenueSource } from './settings.service.js';
import {
  type AnalyticsWindow,
  CACHE_TTL_SECONDS,
  closedWindows,
  type WindowRange,
  windowStarts,
} from './windows.js';

/** What a series name stands for (see `seriesSchema`). */
export type SeriesSpec =
  | { kind: 'conversion' | 'revenue' | 'orders' | 'active_users' }
  | { kind: 'event'; type: string }
  | { kind: 'metric'; name: string; fn: AggregateFn };

const BUILT_IN = ['conversion', 'revenue', 'orders', 'active_users'] as const;

export function parseSeries(series: string, fn: AggregateFn): SeriesSpec {
  const builtIn = BUILT_IN.find((name) => name === series);
  if (builtIn) return { kind: builtIn };
  if (series.startsWith('event:')) return { kind: 'event', type: series.slice('event:'.length) };
  const name = series.startsWith('metric:') ? series.slice('metric:'.length) : series;
  if (name === '') {
    throw new PulseError('VALIDATION_FAILED', 'series metric: needs a metric name', {
      field: 'series',
    });
  }
  return { kind: 'metric', name, fn };
}

/**
 * One value per closed window of the range, oldest first. Counts and revenue are 0 in windows
 * without events; conversion is 0 without viewers; a metric's value is null in windows
 * without points.
 */
export async function resolveSeries(
  ctx: WorkspaceContext,
  spec: SeriesSpec,
  range: WindowRange,
): Promise<SeriesPoint[]> {
  const byStart = await valuesByWindow(ctx, spec, range);
  const empty = spec.kind === 'metric' ? null : 0;
  return windowStarts(range).map((start) => ({
    start,
    value: byStart.get(Date.parse(start)) ?? empty,
  }));
}

async function valuesByWindow(
  ctx: WorkspaceContext,
  spec: SeriesSpec,
  range: WindowRange,
): Promise<Map<number, number>> {
  if (spec.kind === 'active_users') {
    const people = await peoplePerWindow(ctx.scope, range, [ANY_TYPE]);
    return new Map([...people].map(([at, byKey]) => [at, byKey.get(ANY_TYPE) ?? 0]));
  }
  if (spec.kind === 'metric') {
    const aggregate = await aggregateMetrics(ctx, {
      name: spec.name,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      interval: range.window,
      fn: spec.fn,
    });
    return new Map(aggregate.series.map((point) => [Date.parse(point.bucket), point.value]));
  }
  const settings = await getCommerceSettings(ctx);
  const { pageViewType: view, purchaseType: purchase } = settings;
  const typeOf = (type: string, pick: (row: TypeWindowRow) => number) => async () => {
    const rows = await typeStatsPerWindow(ctx.scope, range, {
      types: [type],
      revenue: revenueSource(settings),
    });
    return new Map(rows.map((row) => [row.bucket.getTime(), pick(row)]));
  };
  switch (spec.kind) {
    case 'revenue':
      return typeOf(purchase, (row) => row.revenue)();
    case 'orders':
      return typeOf(purchase, (row) => row.count)();
    case 'event':
      return typeOf(spec.type, (row) => row.count)();
    case 'conversion':
      return conversionByWindow(ctx, range, view, purchase);
  }
}

async function conversionByWindow(
  ctx: WorkspaceContext,
  range: WindowRange,
  view: string,
  purchase: string,
): Promise<Map<number, number>> {
  const people = await peoplePerWindow(ctx.scope, range, [view, purchase]);
  return new Map(
    [...people].map(([at, byKey]) => {
      const viewers = byKey.get(view) ?? 0;
      return [at, viewers === 0 ? 0 : (byKey.get(purchase) ?? 0) / viewers];
    }),
  );
}

export interface SeriesRequest {
  series: string;
  window: AnalyticsWindow;
  limit: number;
  fn: AggregateFn;
  at?: string | undefined;
}

export interface LoadedSeries {
  series: string;
  kind: SeriesKind;
  window: AnalyticsWindow;
  range: WindowRange;
  points: SeriesPoint[];
}

/**
 * A series through the cache, for endpoints that derive statistics from it. `parts` name the
 * endpoint and its own parameters; the window end makes a newly closed window a new key.
 */
export async function cachedSeriesAnswer<T>(
  ctx: WorkspaceContext,
  request: SeriesRequest,
  parts: readonly (string | number | boolean | null | undefined)[],
  derive: (loaded: LoadedSeries) => T,
): Promise<T> {
  const spec = parseSeries(request.series, request.fn);
  const range = closedWindows(request.window, request.limit, atOf(request.at));
  return cachedRead(ctx, {
    topic: COMMERCE_CACHE_TOPIC,
    parts: [
      ...parts,
      request.series,
      request.window,
      request.limit,
      spec.kind === 'metric' ? request.fn : null,
      range.to.toISOString(),
    ],
    ttlSeconds: CACHE_TTL_SECONDS[request.window],
    compute: async () =>
      derive({
        series: request.series,
        kind: spec.kind,
        window: request.window,
        range,
        points: await resolveSeries(ctx, spec, range),
      }),
  });
}

/** Windows after now are not closed: asking as of the future would cache partial figures. */
export function atOf(at: string | undefined): Date {
  const now = new Date();
  if (!at) return now;
  const when = new Date(at);
  if (when > now) {
    throw new PulseError('VALIDATION_FAILED', 'at must not be in the future', { field: 'at' });
  }
  return when;
}
