import type { WorkspaceContext } from '../../auth/caller.js';
import { cachedRead } from '../../cached-read.js';
import { LAG_BANDS, lagStatus } from './lag-bands.js';
import type { LatencyOutput } from './latency.contract.js';
import { type LagRow, lagByMinute } from './latency.queries.js';

const MINUTE_MS = 60_000;
// The current minute is still filling: a short TTL keeps it close to live.
const LATENCY_TTL_SECONDS = 15;

export function ingestionLatency(ctx: WorkspaceContext, minutes: number): Promise<LatencyOutput> {
  const now = new Date();
  return cachedRead(ctx, {
    topic: 'latency',
    parts: [minutes, Math.floor(now.getTime() / MINUTE_MS)],
    ttlSeconds: LATENCY_TTL_SECONDS,
    compute: () => computeLatency(ctx, minutes, now),
  });
}

/** The last `minutes` minutes of arrivals up to `now`, the current one included (uncached). */
export async function computeLatency(
  ctx: WorkspaceContext,
  minutes: number,
  now: Date,
): Promise<LatencyOutput> {
  const currentMinute = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const from = new Date(currentMinute - (minutes - 1) * MINUTE_MS);
  const rows = await lagByMinute(ctx.scope, from, now);
  const byMinute = new Map(
    rows.flatMap((row) => (row.minute ? [[row.minute.getTime(), row] as const] : [])),
  );
  const total = rows.find((row) => row.minute === null);
  const series = Array.from({ length: minutes }, (_, index) => {
    const minute = from.getTime() + index * MINUTE_MS;
    return { minute: new Date(minute).toISOString(), ...lagFigures(byMinute.get(minute)) };
  });
  return {
    minutes,
    from: from.toISOString(),
    to: now.toISOString(),
    thresholds: LAG_BANDS,
    overall: lagFigures(total),
    series,
  };
}

export function lagFigures(row: LagRow | undefined) {
  const events = Number(row?.events ?? 0);
  const p95 = events > 0 && row?.p95 != null ? Number(row.p95) : null;
  return {
    events,
    p50Seconds: events > 0 && row?.p50 != null ? Number(row.p50) : null,
    p95Seconds: p95,
    maxSeconds: events > 0 && row?.max != null ? Number(row.max) : null,
    status: p95 === null ? null : lagStatus(p95),
  };
}
