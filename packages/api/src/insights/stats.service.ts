import { ingestTotals } from '../analytics/health/data-quality.queries.js';
import type { WorkspaceContext } from '../auth/caller.js';
import { cachedRead } from '../cached-read.js';
import { MAX_STATS_TYPES, type StatsOutput } from './stats.contract.js';
import {
  countRecentActivity,
  derivedRowCounts,
  eventTimeBounds,
  eventTotalsByType,
  keptRecentActivity,
  metricTotals,
  pendingEventMinutes,
  type RecentActivity,
} from './stats.queries.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const STATS_TTL_SECONDS = 30;

export function workspaceStats(ctx: WorkspaceContext): Promise<StatsOutput> {
  return cachedRead(ctx, {
    topic: 'insights-stats',
    parts: [],
    ttlSeconds: STATS_TTL_SECONDS,
    compute: () => computeStats(ctx),
  });
}

async function computeStats(ctx: WorkspaceContext): Promise<StatsOutput> {
  const at = new Date();
  const { scope } = ctx;
  // One after another: a pool of a few connections serves every request of the server.
  const byType = await eventTotalsByType(scope);
  const pendingMinutes = await pendingEventMinutes(scope);
  const bounds = await eventTimeBounds(scope);
  const to = new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
  const from = new Date(to.getTime() - DAY_MS);
  const recent = await recentActivityIn(ctx, from, to);
  const metrics = await metricTotals(scope);
  const ingestion = await ingestTotals(scope);
  const storage = await derivedRowCounts(scope);
  return {
    at: at.toISOString(),
    events: {
      total: byType.reduce((sum, row) => sum + row.count, 0),
      byType: byType.slice(0, MAX_STATS_TYPES),
      types: byType.length,
      pendingMinutes,
      source: 'rollup',
    },
    firstEventAt: bounds.first?.toISOString() ?? null,
    lastEventAt: bounds.last?.toISOString() ?? null,
    last24h: { ...recent, from: from.toISOString(), to: to.toISOString(), source: 'exact' },
    metrics: { ...metrics, source: 'rollup' },
    ingestion: { ...ingestion, source: 'exact' },
    storage,
  };
}

/**
 * Distinct people and sessions do not add up from rollups, and counting a day of raw events
 * takes seconds on a busy workspace. So the window is the last 24 closed hours, counted once
 * and kept until an event of it is rolled up again (late events), then counted anew: exact,
 * and the same answer for an hour.
 */
async function recentActivityIn(
  ctx: WorkspaceContext,
  from: Date,
  to: Date,
): Promise<RecentActivity> {
  return (
    (await keptRecentActivity(ctx.scope, from, to)) ??
    (await countRecentActivity(ctx.scope, from, to))
  );
}
