import { revenueExpression, typeStatsPerWindow } from '../analytics/commerce/commerce.queries.js';
import { getCommerceSettings } from '../analytics/commerce/index.js';
import { revenueSource } from '../analytics/commerce/settings.service.js';
import type { WorkspaceContext } from '../auth/caller.js';
import { cachedRead } from '../cached-read.js';
import { PulseError } from '../errors.js';
import { addPeriods, type Period, periodStart } from './periods.js';
import {
  MAX_REVENUE_PERIODS,
  type RevenueInput,
  type RevenueOutput,
  type RevenueSegment,
  TOP_SEGMENTS,
} from './revenue.contract.js';
import {
  type PurchaseFilter,
  type SegmentDimension,
  type SegmentRow,
  topPropertyValues,
  topSegmentsFromEvents,
  topSegmentsFromRollups,
} from './revenue.queries.js';

// The current period changes with every purchase; closed ones never do.
const REVENUE_TTL_SECONDS = 60;
const DAY_SECONDS = 86_400;

export function revenueInsights(
  ctx: WorkspaceContext,
  input: RevenueInput,
): Promise<RevenueOutput> {
  const period = input?.period ?? 'day';
  const periods = input?.periods ?? 30;
  if (periods > MAX_REVENUE_PERIODS[period]) {
    throw new PulseError(
      'VALIDATION_FAILED',
      `periods may be at most ${MAX_REVENUE_PERIODS[period]} for period=${period}`,
      { field: 'periods' },
    );
  }
  const current = periodStart(new Date(), period);
  return cachedRead(ctx, {
    topic: 'insights-revenue',
    parts: [period, periods, input?.property, current.toISOString()],
    ttlSeconds: REVENUE_TTL_SECONDS,
    compute: () => computeRevenue(ctx, { period, periods, property: input?.property, current }),
  });
}

interface RevenueRequest {
  period: Period;
  periods: number;
  property: string | undefined;
  current: Date;
}

async function computeRevenue(
  ctx: WorkspaceContext,
  request: RevenueRequest,
): Promise<RevenueOutput> {
  const { period, periods, property, current } = request;
  const settings = await getCommerceSettings(ctx);
  const from = addPeriods(current, period, -(periods - 1));
  const to = addPeriods(current, period, 1);
  const source = revenueSource(settings);
  const filter: PurchaseFilter = {
    purchaseType: settings.purchaseType,
    revenue: revenueExpression(source),
    from,
    to,
  };
  // Periods are whole UTC days, so daily figures (from hourly rollups when the revenue is
  // the default price × quantity, as commerce analytics reads them) add up into any period.
  // One period more at the front gives the first period a growth figure too.
  const days = await typeStatsPerWindow(
    ctx.scope,
    { from: addPeriods(from, period, -1), to, seconds: DAY_SECONDS },
    { types: [settings.purchaseType], revenue: source },
  );
  const byStart = new Map<number, { revenue: number; orders: number }>();
  for (const day of days) {
    const start = periodStart(day.bucket, period).getTime();
    const sum = byStart.get(start) ?? { revenue: 0, orders: 0 };
    sum.revenue += day.revenue;
    sum.orders += day.count;
    byStart.set(start, sum);
  }
  const series = Array.from({ length: periods }, (_, index) => {
    const start = addPeriods(from, period, index);
    const previous = byStart.get(addPeriods(start, period, -1).getTime());
    const own = byStart.get(start.getTime());
    const revenue = own?.revenue ?? 0;
    const previousRevenue = previous?.revenue ?? 0;
    return {
      start: start.toISOString(),
      end: addPeriods(start, period, 1).toISOString(),
      revenue,
      orders: own?.orders ?? 0,
      previousRevenue,
      growth: growthOf(revenue, previousRevenue),
      partial: start.getTime() === current.getTime(),
    };
  });
  const total = {
    revenue: series.reduce((sum, row) => sum + row.revenue, 0),
    orders: series.reduce((sum, row) => sum + row.orders, 0),
  };
  const lastComplete = series.at(-2);
  const segments = await topSegments(ctx, filter, property, source === 'default');
  const ranked = (dimension: SegmentDimension) =>
    withShares(
      segments.filter((row) => row.dimension === dimension),
      total.revenue,
    );
  return {
    period,
    from: from.toISOString(),
    to: to.toISOString(),
    purchaseType: settings.purchaseType,
    total,
    growth: lastComplete ? lastComplete.growth : null,
    series,
    segments: {
      byProduct: ranked('product'),
      byCurrency: ranked('currency'),
      byProperty: property ? { property, items: ranked('property') } : null,
    },
  };
}

/**
 * Products and currencies come from the commerce rollups when they hold the revenue asked
 * for (price × quantity of the event columns); a property's values are never rolled up, so
 * they are ranked over the raw purchase events (one more statement, only when asked for).
 */
async function topSegments(
  ctx: WorkspaceContext,
  filter: PurchaseFilter,
  property: string | undefined,
  rollupsExact: boolean,
): Promise<SegmentRow[]> {
  if (!rollupsExact) {
    return topSegmentsFromEvents(ctx.scope, filter, property, TOP_SEGMENTS);
  }
  const segments = await topSegmentsFromRollups(ctx.scope, filter, TOP_SEGMENTS);
  if (!property) return segments;
  return [...segments, ...(await topPropertyValues(ctx.scope, filter, property, TOP_SEGMENTS))];
}

export function growthOf(value: number, previous: number): number | null {
  return previous === 0 ? null : (value - previous) / previous;
}

function withShares(rows: SegmentRow[], total: number): RevenueSegment[] {
  return rows.map(({ key, revenue, orders }) => ({
    key,
    revenue,
    orders,
    share: total === 0 ? null : revenue / total,
  }));
}
