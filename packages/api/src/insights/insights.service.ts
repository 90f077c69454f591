import { computeKpis, computeTrend, detectAnomalies } from '../analytics/commerce/index.js';
import {
  computeDataQuality,
  resolveQualityRange,
} from '../analytics/health/data-quality.service.js';
import { computeLatency } from '../analytics/health/latency.service.js';
import type { WorkspaceContext } from '../auth/caller.js';
import { cachedRead } from '../cached-read.js';
import {
  anomalyFindings,
  averageOrderValue,
  conversionDrop,
  revenueTrend,
} from './commerce-findings.js';
import { dataQualityFindings, slowIngestionFinding } from './health-findings.js';
import type { Insight, InsightsOutput } from './insights.contract.js';

type InsightWindow = InsightsOutput['window'];

const INSIGHTS_TTL_SECONDS = 60;
// While a new minute's findings are computed, the previous minute's are served: findings
// move slowly, and a burst at the turn of the minute should not wait on the computation.
const INSIGHTS_MAX_STALE_SECONDS = 120;
const ANOMALY_SERIES = ['revenue', 'orders', 'active_users'] as const;
// Anomalies are looked for in hours: a day of history (24 windows) as the baseline.
const ANOMALY_INPUT = {
  window: '1h',
  limit: 48,
  lookback: 24,
  threshold: 3,
  method: 'robust',
  fn: 'avg',
} as const;
const TREND_WINDOWS: Record<InsightWindow, number> = { '1h': 24, '1d': 14 };
const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

export function listInsights(
  ctx: WorkspaceContext,
  window: InsightWindow,
): Promise<InsightsOutput> {
  const minute = Math.floor(Date.now() / 60_000);
  return cachedRead(ctx, {
    topic: 'insights',
    parts: [window, minute],
    ttlSeconds: INSIGHTS_TTL_SECONDS,
    staleWhileRevalidate: { series: [window], maxAgeSeconds: INSIGHTS_MAX_STALE_SECONDS },
    compute: () => computeInsights(ctx, window),
  });
}

/**
 * Every finding now. Data-health figures are computed afresh; commerce figures come through
 * their own caches, which are keyed by closed windows and so only lag behind late events.
 */
export async function computeInsights(
  ctx: WorkspaceContext,
  window: InsightWindow,
): Promise<InsightsOutput> {
  const at = new Date();
  const kpis = await computeKpis(ctx, window, at);
  const averageOrder = averageOrderValue(kpis);
  const items: Insight[] = [];
  const drop = conversionDrop(kpis);
  if (drop) items.push(drop);
  const trend = await computeTrend(ctx, {
    series: 'revenue',
    window,
    limit: TREND_WINDOWS[window],
    fn: 'avg',
    at: at.toISOString(),
  });
  const trending = revenueTrend(trend);
  if (trending) items.push(trending);
  for (const series of ANOMALY_SERIES) {
    const anomalies = await detectAnomalies(ctx, {
      ...ANOMALY_INPUT,
      series,
      at: at.toISOString(),
    });
    items.push(...anomalyFindings(anomalies, averageOrder));
  }
  const quality = await computeDataQuality(ctx, resolveQualityRange(undefined, at.getTime()));
  items.push(...dataQualityFindings(quality));
  const slow = slowIngestionFinding(await computeLatency(ctx, 60, at));
  if (slow) items.push(slow);
  return { generatedAt: at.toISOString(), window, items: items.sort(bySeverityThenImpact) };
}

function bySeverityThenImpact(a: Insight, b: Insight): number {
  const rank = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
  if (rank !== 0) return rank;
  const impact = Math.abs(b.impact?.value ?? 0) - Math.abs(a.impact?.value ?? 0);
  return impact !== 0 ? impact : a.id < b.id ? -1 : 1;
}
