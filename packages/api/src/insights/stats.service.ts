import { ingestTotals } from '../analytics/health/data-quality.queries.js';
import type { WorkspaceContext } from '../auth/caller.js';
import { cachedRead } from '../cached-read.js';
import { MAX_STATS_TYPES, type StatsOutput } from './stats.contract.js';
import {
  derivedRowCounts,
  eventTimeBounds,
  eventTotalsByType,
  metricTotals,
  pendingEventMinutes,
  recentActivity,
} from './stats.queries.js';

const DAY_MS = 86_400_000;
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
  const recent = await recentActivity(scope, new Date(at.getTime() - DAY_MS), at);
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
    last24h: { ...recent, source: 'exact' },
    metrics: { ...metrics, source: 'rollup' },
    ingestion: { ...ingestion, source: 'exact' },
    storage,
  };
}
