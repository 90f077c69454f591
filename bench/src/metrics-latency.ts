// metrics.latest and metrics.aggregate latency (p50/p95/p99) at a fixed request rate, beside
// the server's bare /health route at the same rate in the same run. Usage (after pnpm build):
//   DATABASE_URL=… REDIS_URL=… pnpm --filter @pulse/bench metrics   (or neither, for embedded)
import { randomBytes } from 'node:crypto';
import { createSchema, dropSchema } from '@pulse/db';
import pg from 'pg';
import { fixedRate } from './load.js';
import { startServerProcess } from './server-process.js';
import { machine } from './stats.js';

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const RATE = Number(process.env.BENCH_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const POINTS = Number(process.env.BENCH_POINTS ?? 100_000);
const HOSTS = ['a', 'b', 'c', 'd', 'e'];
const run = randomBytes(3).toString('hex');
const schema = `bench_${run}`;

/** Until no minute waits to be rolled up (PostgreSQL), or a fixed pause (embedded). */
async function waitForRollups(): Promise<number> {
  const started = Date.now();
  if (!databaseUrl) {
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    return Date.now() - started;
  }
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 1,
    options: `-c search_path=${schema}`,
  });
  try {
    for (;;) {
      const { rows } = await pool.query<{ n: string }>('select count(*) as n from rollup_dirty');
      if (rows[0]?.n === '0') return Date.now() - started;
      if (Date.now() - started > 300_000)
        throw new Error('rollups did not catch up within 5 minutes');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    await pool.end();
  }
}

async function main() {
  if (databaseUrl) await createSchema(databaseUrl, schema);
  const env: Record<string, string> = {
    RATE_LIMIT_ENABLED: 'false',
    ROLLUP_INTERVAL_MS: '1000',
    ...(databaseUrl
      ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema }
      : { PULSE_DATA_DIR: 'memory' }),
    ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `bench:${run}:` } : {}),
  };
  const server = await startServerProcess(env, 3918);
  try {
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${server.url}/api/v1${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      }).then(async (response) => {
        if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
        return (await response.json()) as Record<string, unknown>;
      });
    const session = await post('/auth/register', {
      email: `bench-${run}@example.test`,
      password: 'bench-password-1',
      name: 'Bench',
    });
    const token = session.accessToken as string;

    // A day of points, spread over five hosts.
    const now = Date.now();
    const dayMs = 86_400_000;
    for (let offset = 0; offset < POINTS; offset += 1000) {
      const points = Array.from({ length: Math.min(1000, POINTS - offset) }, (_, i) => {
        const n = offset + i;
        return {
          name: 'cpu',
          value: 20 + ((n * 37) % 600) / 10,
          tags: { host: HOSTS[n % HOSTS.length] },
          timestamp: new Date(now - dayMs + (n / POINTS) * dayMs).toISOString(),
        };
      });
      await post('/metrics', { points }, token);
    }
    // Let the in-process workers roll the day up, as they would have in production.
    const rolledUpAfterMs = await waitForRollups();

    const get = (path: string) => () =>
      fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const from = new Date(now - dayMs).toISOString();
    const hourAgo = new Date(now - 3_600_000).toISOString();
    const scenarios: Record<string, () => Promise<Response>> = {
      'baseline GET /health': get('/health'),
      'metrics.latest': get('/api/v1/metrics/latest/cpu'),
      'metrics.aggregate 1h @1m p95 (raw)': get(
        `/api/v1/metrics/aggregate/cpu?from=${encodeURIComponent(hourAgo)}&interval=1m&fn=p95`,
      ),
      'metrics.aggregate 24h @1h avg by host (rollups)': get(
        `/api/v1/metrics/aggregate/cpu?from=${encodeURIComponent(from)}&interval=1h&fn=avg&groupBy=host`,
      ),
    };
    const results: Record<string, unknown> = {};
    for (const [name, request] of Object.entries(scenarios)) {
      await fixedRate(Math.max(10, RATE / 10), 2, request); // warm-up
      results[name] = await fixedRate(RATE, SECONDS, request);
    }
    console.log(
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: machine(),
          database: databaseUrl ? 'postgres' : 'pglite',
          infra: redisUrl ? 'redis' : 'in-process',
          points: POINTS,
          rate: RATE,
          rolledUpAfterMs,
          results,
        },
        null,
        2,
      ),
    );
  } finally {
    await server.stop();
    if (databaseUrl) await dropSchema(databaseUrl, schema);
  }
}

await main();
