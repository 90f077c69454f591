import { percentile, round } from './stats.js';

export interface LatencyReport {
  rate: number;
  seconds: number;
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * Open-loop load at a fixed rate: requests are started on schedule whether or not earlier ones
 * finished, and latency counts from the scheduled start, so a stall shows up in the tail
 * instead of silently lowering the rate (no coordinated omission).
 */
export async function fixedRate(
  rate: number,
  seconds: number,
  request: () => Promise<Response>,
): Promise<LatencyReport> {
  const total = Math.round(rate * seconds);
  const intervalMs = 1000 / rate;
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const scheduled = started + i * intervalMs;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      request()
        .then(async (response) => {
          await response.arrayBuffer();
          if (!response.ok) errors += 1;
        })
        .catch(() => {
          errors += 1;
        })
        .finally(() => {
          latencies.push(performance.now() - scheduled);
        }),
    );
  }
  await Promise.all(inFlight);
  return {
    rate,
    seconds,
    requests: total,
    errors,
    p50: round(percentile(latencies, 50), 2),
    p95: round(percentile(latencies, 95), 2),
    p99: round(percentile(latencies, 99), 2),
    max: round(Math.max(...latencies), 2),
  };
}
