import type { WorkspaceContext } from '../../auth/caller.js';
import { cachedRead } from '../../cached-read.js';
import type { CommerceSettings, KpisOutput, KpiValues } from './commerce.contract.js';
import { lastEventAt, type TypeWindowRow, typeStatsPerWindow } from './commerce.queries.js';
import { ANY_TYPE, peoplePerWindow } from './people.queries.js';
import { COMMERCE_CACHE_TOPIC, getCommerceSettings, revenueSource } from './settings.service.js';
import {
  type AnalyticsWindow,
  CACHE_TTL_SECONDS,
  closedWindows,
  type WindowRange,
  windowStarts,
} from './windows.js';

/**
 * The latest closed window and the one before it. Freshness is about now (how current the
 * data is), whatever `at` asks for; it is part of the cached answer, so it is as old as the
 * answer (the `Age` header) and a repeated request can be answered 304.
 */
export function computeKpis(
  ctx: WorkspaceContext,
  window: AnalyticsWindow,
  at: Date = new Date(),
): Promise<KpisOutput> {
  const range = closedWindows(window, 2, at);
  return cachedRead(ctx, {
    topic: COMMERCE_CACHE_TOPIC,
    parts: ['kpis', window, range.to.toISOString()],
    ttlSeconds: CACHE_TTL_SECONDS[window],
    compute: async () => {
      const settings = await getCommerceSettings(ctx);
      const now = new Date();
      const [windows, last] = await Promise.all([
        windowKpis(ctx, settings, range, { allTypes: true }),
        lastEventAt(ctx.scope, now),
      ]);
      const [previous, current] = windows as [WindowKpis, WindowKpis];
      return {
        window,
        current: current.values,
        previous: previous.values,
        recentEvents: current.counts,
        freshness: {
          lastEventAt: last?.toISOString() ?? null,
          lagSeconds: last
            ? Math.max(0, Math.floor((now.getTime() - last.getTime()) / 1000))
            : null,
        },
      };
    },
  });
}

export interface WindowKpis {
  values: KpiValues;
  /** Events per type in the window (every type only with `allTypes`). */
  counts: Record<string, number>;
}

/**
 * The KPIs of every window of the range, oldest first; windows without events are zeros.
 * Counts and revenue per type come from rollups (they add up over buckets); distinct viewers,
 * buyers and active people from `peoplePerWindow` (raw events, once per window).
 */
export async function windowKpis(
  ctx: WorkspaceContext,
  settings: CommerceSettings,
  range: WindowRange,
  options: { allTypes: boolean },
): Promise<WindowKpis[]> {
  const { pageViewType, purchaseType } = settings;
  const funnel = [pageViewType, purchaseType];
  const [totals, people] = await Promise.all([
    typeStatsPerWindow(ctx.scope, range, {
      types: options.allTypes ? null : funnel,
      revenue: revenueSource(settings),
    }),
    peoplePerWindow(ctx.scope, range, [...funnel, ANY_TYPE]),
  ]);
  const totalsByWindow = groupByWindow(totals);
  const size = range.seconds * 1000;
  return windowStarts(range).map((start) => {
    const at = Date.parse(start);
    const types = totalsByWindow.get(at) ?? new Map<string, TypeWindowRow>();
    const users = (key: string) => people.get(at)?.get(key) ?? 0;
    const viewUsers = users(pageViewType);
    const purchaseUsers = users(purchaseType);
    const purchases = types.get(purchaseType);
    return {
      values: {
        from: start,
        to: new Date(at + size).toISOString(),
        orders: purchases?.count ?? 0,
        gmv: purchases?.revenue ?? 0,
        purchaseUsers,
        viewUsers,
        activeUsers: users(ANY_TYPE),
        conversionRate: viewUsers === 0 ? 0 : purchaseUsers / viewUsers,
      },
      counts: Object.fromEntries([...types.values()].map((row) => [row.type, row.count])),
    };
  });
}

function groupByWindow(rows: readonly TypeWindowRow[]) {
  const byWindow = new Map<number, Map<string, TypeWindowRow>>();
  for (const row of rows) {
    const at = row.bucket.getTime();
    const types = byWindow.get(at) ?? new Map<string, TypeWindowRow>();
    types.set(row.type, row);
    byWindow.set(at, types);
  }
  return byWindow;
}
