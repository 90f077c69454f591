import type { Infra, LiveStats, ProcedureObservation } from '@pulse/api';
import type { PulseDatabase } from '@pulse/db';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * One registry per server instance (never prom-client's global), so several servers in one
 * process — as in tests — keep separate figures.
 */
export function createServerMetrics(sources: {
  database: PulseDatabase;
  infra: Infra;
  openSockets: () => number;
  live: () => LiveStats;
}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pulse_process_' });

  const httpRequests = new Counter({
    name: 'pulse_http_requests_total',
    help: 'HTTP requests by route pattern and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'pulse_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const procedureCalls = new Counter({
    name: 'pulse_procedure_calls_total',
    help: 'tRPC procedure calls (HTTP, REST and WebSocket) by outcome',
    labelNames: ['procedure', 'type', 'outcome'] as const,
    registers: [registry],
  });
  const procedureDuration = new Histogram({
    name: 'pulse_procedure_duration_seconds',
    help: 'tRPC procedure latency',
    labelNames: ['procedure', 'type', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'pulse_websocket_connections',
    help: 'Open WebSocket connections',
    registers: [registry],
    collect() {
      this.set(sources.openSockets());
    },
  });
  new Gauge({
    name: 'pulse_db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = sources.database.poolStats();
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  new Gauge({
    name: 'pulse_live_subscriptions',
    help: 'Open live-feed subscriptions in this process (WebSocket and SSE)',
    registers: [registry],
    collect() {
      this.set(sources.live().subscriptions);
    },
  });
  // Counts kept elsewhere (cache, live hub) only ever grow: reported as counters by delta.
  const monotonic = (name: string, help: string, read: () => number) => {
    let reported = 0;
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const current = read();
        this.inc(current - reported);
        reported = current;
      },
    });
  };
  monotonic(
    'pulse_cache_hits_total',
    'Cache hits in this process',
    () => sources.infra.cache.stats().hits,
  );
  monotonic(
    'pulse_cache_misses_total',
    'Cache misses in this process',
    () => sources.infra.cache.stats().misses,
  );
  monotonic(
    'pulse_live_publish_failures_total',
    'Ingest batches or broadcasts whose live publication failed (the ingest itself succeeded)',
    () => sources.live().publishFailures,
  );
  monotonic(
    'pulse_live_slow_consumers_dropped_total',
    'Live connections dropped because their client stopped reading',
    () => sources.live().slowConsumersDropped,
  );
  monotonic(
    'pulse_live_frames_written_by_fanout_total',
    'Live messages written straight to waiting WebSocket subscribers by the fan-out',
    () => sources.live().framesWrittenByFanout,
  );

  return {
    registry,
    observeHttp(method: string, route: string, statusCode: number, seconds: number) {
      const labels = { method, route, status_code: String(statusCode) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, seconds);
    },
    observeProcedure(observation: ProcedureObservation) {
      const labels = {
        procedure: observation.path,
        type: observation.type,
        outcome: observation.ok ? 'ok' : (observation.code ?? 'error'),
      };
      procedureCalls.inc(labels);
      procedureDuration.observe(labels, observation.durationMs / 1000);
    },
  };
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;
