/**
 * Ingestion lag bands, judged on the 95th percentile of `received_at − timestamp` in seconds.
 * Upper bounds are inclusive: p95 ≤ 5 s is excellent (clients sending as events happen),
 * ≤ 30 s good (SDK batching and retries), ≤ 120 s warning (queues building up or clients
 * holding events back), anything slower critical (dashboards show stale minutes).
 */
export const LAG_BANDS = { excellent: 5, good: 30, warning: 120 } as const;
export const LAG_STATUSES = ['excellent', 'good', 'warning', 'critical'] as const;
export type LagStatus = (typeof LAG_STATUSES)[number];

export function lagStatus(p95Seconds: number): LagStatus {
  if (p95Seconds <= LAG_BANDS.excellent) return 'excellent';
  if (p95Seconds <= LAG_BANDS.good) return 'good';
  if (p95Seconds <= LAG_BANDS.warning) return 'warning';
  return 'critical';
}

/** The timeliness part of the data-quality score: 1, 0.75, 0.4 or 0 by band. */
export const LAG_STATUS_SCORE: Record<LagStatus, number> = {
  excellent: 1,
  good: 0.75,
  warning: 0.4,
  critical: 0,
};
