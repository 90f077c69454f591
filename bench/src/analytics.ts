// Analytics, insights and time-travel endpoints at a fixed request rate, cold (the client
// sends Cache-Control: no-cache, so the server computes) and cached, beside the server's bare
// /health at the same rate in the same run, on a workspace holding BENCH_EVENTS events.
// Usage (after pnpm build; real PostgreSQL only — ten million rows do not fit PGlite's heap):
//   DATABASE_URL=… REDIS_URL=… pnpm --filter @pulse/bench analytics
import { randomBytes } from 'node:crypto';
import { createDatabase, createSchema, dropSchema } from '@pulse/db';
import { loadAnalyticsDataset } from './analytics-dataset.js';
import { fixedRate, type LatencyReport } from './load.js';
import { startServerProcess } from './server-process.js';
import { machine, percentile, round } from './stats.js';

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const RATE = Number(process.env.BENCH_RATE ?? 100);
/** Cold requests (Cache-Control: no-cache) per second; every one is computed from scratch. */
const COLD_RATE = Number(process.env.BENCH_COLD_RATE ?? RATE);
/** Cold requests one at a time, before the rated runs: the latency of a fresh answer. */
const SINGLE_RUNS = Number(process.env.BENCH_SINGLE_RUNS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const KEEP = process.env.BENCH_KEEP_SCHEMA; // reuse a loaded schema between runs
const run = randomBytes(3).toString('hex');

interface Scenario {
  method?: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** POSTs that are never cached run cold only. */
  coldOnly?: boolean;
}

const SCENARIOS: Record<string, Scenario> = {
  'analytics.kpis 1h': { path: '/analytics/kpis?window=1h' },
  'analytics.kpis 1d': { path: '/analytics/kpis?window=1d' },
  'analytics.trend revenue 1h×48': { path: '/analytics/trends/revenue?window=1h&limit=48' },
  'analytics.trend conversion 1d×30': { path: '/analytics/trends/conversion?window=1d&limit=30' },
  'analytics.userFeatures': { path: '/analytics/users/u42/features' },
  'analytics.anomalies revenue 1h': { path: '/analytics/anomalies/revenue?window=1h' },
  'analytics.forecast revenue 1h': { path: '/analytics/forecast/revenue?window=1h' },
  'analytics.dataQuality 24h': { path: '/analytics/data-quality' },
  'analytics.latency 60m': { path: '/analytics/latency?minutes=60' },
  'insights.list': { path: '/insights' },
  'insights.revenue': { path: '/insights/revenue?period=day' },
  'insights.stats': { path: '/insights/stats' },
  'history.versions event_rollups': { path: '/history/event_rollups' },
  'history.at event_rollups v1': { path: '/history/event_rollups/data?version=1' },
  'analytics.query revenue by day': {
    method: 'POST',
    path: '/analytics/query',
    coldOnly: true,
    body: {
      sql: "select date_trunc('day', timestamp) as day, sum(price * coalesce(quantity, 1)) as revenue from events where type = 'purchase' and timestamp > now() - interval '7 days' group by 1 order by 1",
    },
  },
  'analytics.ask top event types': {
    method: 'POST',
    path: '/analytics/ask',
    coldOnly: true,
    body: { question: 'What are the top event types today?' },
  },
};

async function main() {
  if (!databaseUrl) throw new Error('DATABASE_URL is required for this benchmark');
  const schema = KEEP ?? `bench_${run}`;
  const fresh = !KEEP;
  if (fresh) await createSchema(databaseUrl, schema);
  const server = await startServerProcess(
    {
      RATE_LIMIT_ENABLED: 'false',
      PULSE_WORKERS: 'false',
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `bench:${run}:` } : {}),
    },
    3919,
  );
  const database = createDatabase({ kind: 'postgres', url: databaseUrl, schema, poolSize: 2 });
  try {
    const email = `bench-analytics@example.test`;
    const password = 'bench-password-1';
    const auth = await postJson(server.url, fresh ? '/auth/register' : '/auth/login', {
      email,
      password,
      ...(fresh ? { name: 'Bench' } : {}),
    });
    const workspaceId = (auth.workspace as { id: string }).id;
    // A read key, as dashboards use: access tokens expire within the run.
    const key = await postJson(
      server.url,
      '/api-keys',
      { name: `bench ${run}`, scope: 'read' },
      auth.accessToken as string,
    );
    const token = key.key as string;
    const dataset = fresh
      ? await loadAnalyticsDataset(database, {
          workspaceId,
          events: EVENTS,
          days: DAYS,
          users: 200_000,
          log: (message) => console.error(`[dataset] ${message}`),
        })
      : undefined;

    const request = (scenario: Scenario, cold: boolean) => () =>
      fetch(`${server.url}/api/v1${scenario.path}`, {
        method: scenario.method ?? 'GET',
        headers: {
          authorization: `Bearer ${token}`,
          ...(scenario.body ? { 'content-type': 'application/json' } : {}),
          ...(cold ? { 'cache-control': 'no-cache' } : {}),
        },
        body: scenario.body ? JSON.stringify(scenario.body) : undefined,
      });
    const results: Record<
      string,
      | { serial?: { median: number; max: number }; cold: LatencyReport; cached?: LatencyReport }
      | string
    > = {};
    const health = () => fetch(`${server.url}/health`);
    await fixedRate(10, 2, health);
    results['baseline GET /health'] = { cold: await fixedRate(RATE, SECONDS, health) };
    const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      if (only && !only.test(name)) continue;
      const probe = await request(scenario, true)();
      if (!probe.ok) {
        results[name] = `skipped: ${probe.status} ${(await probe.text()).slice(0, 200)}`;
        continue;
      }
      const single: number[] = [];
      for (let i = 0; i < SINGLE_RUNS; i += 1) {
        const started = performance.now();
        await (await request(scenario, true)()).arrayBuffer();
        single.push(performance.now() - started);
      }
      const cold = await fixedRate(COLD_RATE, SECONDS, request(scenario, true));
      const cached = scenario.coldOnly
        ? undefined
        : await fixedRate(RATE, SECONDS, request(scenario, false));
      const serial = {
        median: round(percentile(single, 50), 1),
        max: round(Math.max(...single), 1),
      };
      results[name] = { serial, cold, ...(cached ? { cached } : {}) };
      console.error(
        `[bench] ${name}: one at a time ${serial.median} ms, cold p95 ${cold.p95} ms, cached p95 ${cached?.p95 ?? '-'} ms`,
      );
    }
    console.log(
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: machine(),
          database: 'postgres',
          infra: redisUrl ? 'redis' : 'in-process',
          events: EVENTS,
          days: DAYS,
          rate: RATE,
          seconds: SECONDS,
          dataset,
          results,
        },
        null,
        2,
      ),
    );
  } finally {
    await database.close();
    await server.stop();
    if (fresh && !process.env.BENCH_LEAVE_SCHEMA) await dropSchema(databaseUrl, schema);
  }
}

async function postJson(
  url: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/api/v1${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

await main();
