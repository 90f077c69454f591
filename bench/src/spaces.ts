// Spaces intelligence latency (p50/p95/p99) on the demo building: spaces.floorPulse,
// spaces.live, community.network, revenue.optimization and assistant.query, each cached (the
// same request again and again) and cold (every request a parameter combination not asked
// before, so the cache never answers). Usage (after pnpm build):
//   DATABASE_URL=… REDIS_URL=… pnpm --filter @pulse/bench spaces   (or neither, for embedded)
// BENCH_SPACES_SIZE=small|large (default large), BENCH_RATE (default 100 requests/s),
// BENCH_COLD_RATE (default BENCH_RATE), BENCH_SECONDS (default 10).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createSchema, dropSchema } from '@pulse/db';
import pg from 'pg';
import { fixedRate } from './load.js';
import { startServerProcess } from './server-process.js';
import { machine } from './stats.js';

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const SIZE = process.env.BENCH_SPACES_SIZE ?? 'large';
const RATE = Number(process.env.BENCH_RATE ?? 100);
const COLD_RATE = Number(process.env.BENCH_COLD_RATE ?? RATE);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const run = randomBytes(3).toString('hex');
const KEEP = process.env.BENCH_KEEP_SCHEMA; // reuse a building loaded by an earlier run
const schema = KEEP ?? `bench_${run}`;
const fresh = !KEEP;
const cli = fileURLToPath(new URL('../../apps/server/dist/cli.js', import.meta.url));

/** `pulse seed spaces` into the workspace, as an operator would load the demo building. */
async function seed(env: Record<string, string>, workspaceId: string): Promise<number> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [cli, 'seed', 'spaces', '--size', SIZE, '--workspace', workspaceId],
    { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`pulse seed spaces exited with ${code}`);
  return Math.round(performance.now() - started);
}

/**
 * After a bulk load PostgreSQL plans from no statistics, and index-only scans still visit the
 * heap, until autovacuum (triggered by inserts since PostgreSQL 13) has run: run it now.
 */
async function analyze(): Promise<void> {
  if (!databaseUrl) return;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 1,
    options: `-c search_path=${schema}`,
  });
  try {
    await pool.query('vacuum analyze');
  } finally {
    await pool.end();
  }
}

interface Scenario {
  /** The request number `i` of the run; cold scenarios make every `i` a new cache key. */
  request: (i: number) => Promise<Response>;
  /** How many different keys the cold variant can make (it stops there). */
  distinct: number;
}

async function main() {
  if (KEEP && !databaseUrl) throw new Error('BENCH_KEEP_SCHEMA needs DATABASE_URL');
  if (databaseUrl && fresh) await createSchema(databaseUrl, schema);
  const env: Record<string, string> = {
    RATE_LIMIT_ENABLED: 'false',
    PULSE_WORKERS: 'false',
    ...(databaseUrl
      ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema }
      : { PULSE_DATA_DIR: process.env.BENCH_DATA_DIR ?? 'memory' }),
    ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `bench:${run}:` } : {}),
  };
  const server = await startServerProcess(env, 3921);
  try {
    const call = (method: string, path: string, body?: unknown, token?: string) =>
      fetch(`${server.url}/api/v1${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const json = async (response: Promise<Response>) => {
      const answer = await response;
      if (!answer.ok) throw new Error(`${answer.url}: ${answer.status} ${await answer.text()}`);
      return (await answer.json()) as Record<string, unknown>;
    };
    const credentials = { email: 'bench-spaces@example.test', password: 'bench-password-1' };
    const session = await json(
      fresh
        ? call('POST', '/auth/register', { ...credentials, name: 'Bench' })
        : call('POST', '/auth/login', credentials),
    );
    // A read key, as dashboards use: access tokens expire within a long run.
    const key = await json(
      call(
        'POST',
        '/api-keys',
        { name: `bench ${run}`, scope: 'read' },
        session.accessToken as string,
      ),
    );
    const token = key.key as string;
    const workspaceId = (session.workspace as { id: string }).id;
    const seededInMs = fresh ? await seed(env, workspaceId) : undefined;
    if (fresh) await analyze();
    const floors = (await json(call('GET', '/spaces/floors?limit=50', undefined, token))).items as {
      id: string;
    }[];

    const get = (path: string) => call('GET', path, undefined, token);
    const ask = (message: string) =>
      call('POST', '/assistant/query', { chatId: 'bench', message }, token);
    const scenarios: Record<string, Scenario> = {
      'spaces.floorPulse': {
        request: (i) =>
          get(
            `/spaces/floors/${floors[i % floors.length]?.id}/pulse?weeks=${1 + (Math.floor(i / floors.length) % 12)}&trendHours=${1 + (Math.floor(i / (floors.length * 12)) % 168)}`,
          ),
        distinct: floors.length * 12 * 168,
      },
      'spaces.live': {
        request: (i) => get(`/spaces/live?trendHours=${1 + (i % 168)}`),
        distinct: 168,
      },
      'community.network': {
        request: (i) =>
          get(`/community/network?days=${30 - (i % 30)}&limit=${100 + Math.floor(i / 30)}`),
        distinct: 30 * 400,
      },
      'revenue.optimization': {
        request: (i) =>
          get(`/revenue/optimization?weeks=${4 + (i % 4)}&limit=${50 + Math.floor(i / 4)}`),
        distinct: 4 * 150,
      },
      'assistant.query': {
        request: (i) =>
          ask(
            i % 2 === 0
              ? `Which rooms are free at ${Math.floor(i / 2 / 60) % 24}:${String(Math.floor(i / 2) % 60).padStart(2, '0')}?`
              : `What's on floor ${1 + (Math.floor(i / 2) % floors.length)} ${['now', 'today', 'tonight', 'tomorrow', 'this week'][Math.floor(i / 2 / floors.length) % 5]}?`,
          ),
        distinct: 2 * Math.min(24 * 60, floors.length * 5),
      },
    };
    const results: Record<string, unknown> = {
      // The same rate on the server's bare route: what the machine itself costs.
      'baseline GET /health': await fixedRate(RATE, SECONDS, () => fetch(`${server.url}/health`)),
    };
    const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
    for (const [name, scenario] of Object.entries(scenarios)) {
      if (only && !only.test(name)) continue;
      // Cached: one key, computed once before the run.
      await scenario.request(0).then((response) => response.arrayBuffer());
      results[`${name} cached`] = await fixedRate(RATE, SECONDS, () => scenario.request(0));
      let next = 1;
      const coldSeconds = Math.min(SECONDS, (scenario.distinct - 1) / COLD_RATE);
      results[`${name} cold`] = await fixedRate(COLD_RATE, coldSeconds, () =>
        scenario.request(next++),
      );
    }
    console.log(
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: machine(),
          database: databaseUrl ? 'postgres' : 'pglite',
          infra: redisUrl ? 'redis' : 'in-process',
          size: SIZE,
          seededInMs,
          floors: floors.length,
          rate: RATE,
          coldRate: COLD_RATE,
          results,
        },
        null,
        2,
      ),
    );
  } finally {
    await server.stop();
    if (databaseUrl && fresh && !process.env.BENCH_LEAVE_SCHEMA)
      await dropSchema(databaseUrl, schema);
  }
}

await main();
