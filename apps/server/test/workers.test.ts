import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ensurePartitionsAhead, removeJobQueue } from '@pulse/api';
import { createDatabase, createSchema, dropSchema, type Executor, scopeTo } from '@pulse/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startTestServer, type TestServer } from './harness.js';

const eventually = { timeout: 10_000, interval: 50 };
// Starting a process that compiles the server on the fly takes seconds on a busy machine.
const processStart = { timeout: 25_000, interval: 100 };
const HOUR_MS = 3_600_000;

/** An hour recent enough for retention to keep (the jobs run on the real clock). */
function recentHour(hoursAgo: number) {
  const start = (Math.floor(Date.now() / HOUR_MS) - hoursAgo) * HOUR_MS;
  return {
    start: new Date(start).toISOString(),
    at: (minute: number, second = 0) =>
      new Date(start + minute * 60_000 + second * 1000).toISOString(),
  };
}

async function newWorkspace(db: Executor): Promise<string> {
  const row = await db
    .insertInto('workspaces')
    .values({ name: 'jobs' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Stores events as ingestion does (rows plus one dirty mark per minute), at fixed times. */
async function ingest(db: Executor, workspaceId: string, events: { user: string; at: string }[]) {
  const scope = scopeTo(db, workspaceId);
  await scope
    .insertInto(
      'events',
      events.map((e) => ({
        id: randomBytes(6).toString('hex'),
        type: 'purchase',
        timestamp: e.at,
        user_id: e.user,
        properties: '{}',
        price: 2.5,
        quantity: 2,
      })),
    )
    .execute();
  const minutes = new Set(events.map((e) => `${e.at.slice(0, 16)}:00Z`));
  await scope
    .insertInto(
      'rollup_dirty',
      [...minutes].map((bucket) => ({ source: 'events' as const, bucket })),
    )
    .execute();
}

async function hourRollup(db: Executor, workspaceId: string, hour: string) {
  const row = await scopeTo(db, workspaceId)
    .selectFrom('event_rollups')
    .select(['count', 'users', 'revenue'])
    .where('resolution', '=', '1h')
    .where('bucket', '=', new Date(hour))
    .executeTakeFirst();
  return (
    row && { count: Number(row.count), users: Number(row.users), revenue: Number(row.revenue) }
  );
}

async function removeQueue(redisUrl: string | undefined, keyPrefix: string) {
  if (redisUrl) await removeJobQueue({ redisUrl, keyPrefix });
}

describe('workers inside pulse server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ PULSE_WORKERS: 'true', ROLLUP_INTERVAL_MS: '200' });
  });
  afterAll(async () => {
    await server.close(); // resolves only once the jobs have stopped
    await removeQueue(server.config.redis.url, server.config.redis.keyPrefix);
  });

  it('has the partitions from yesterday to a week ahead before serving', async () => {
    // Start-up made them all already, so asking again creates none.
    const db = server.app.pulse.database.db;
    expect(await ensurePartitionsAhead(db, { daysAhead: 7 })).toEqual({ created: [] });
  });

  it('rolls up stored events on its own, late ones included', async () => {
    const db = server.app.pulse.database.db;
    const ws = await newWorkspace(db);
    const hour = recentHour(2);
    await ingest(db, ws, [
      { user: 'u1', at: hour.at(15) },
      { user: 'u2', at: hour.at(15, 30) },
      { user: 'u1', at: hour.at(40) },
    ]);
    await vi.waitFor(
      async () =>
        expect(await hourRollup(db, ws, hour.start)).toEqual({
          count: 3,
          users: 2,
          revenue: 15,
        }),
      eventually,
    );
    await ingest(db, ws, [{ user: 'u3', at: hour.at(59, 59) }]);
    await vi.waitFor(
      async () =>
        expect(await hourRollup(db, ws, hour.start)).toEqual({
          count: 4,
          users: 3,
          revenue: 20,
        }),
      eventually,
    );
  });

  it('rolls up metric points in the same job', async () => {
    const db = server.app.pulse.database.db;
    const scope = scopeTo(db, await newWorkspace(db));
    const hour = recentHour(2);
    await scope
      .insertInto('metric_points', [
        { name: 'latency_ms', value: 10, tags: '{}', timestamp: hour.at(5) },
        { name: 'latency_ms', value: 30, tags: '{}', timestamp: hour.at(6) },
      ])
      .execute();
    await scope
      .insertInto('rollup_dirty', [
        { source: 'metrics', bucket: hour.at(5) },
        { source: 'metrics', bucket: hour.at(6) },
      ])
      .execute();
    await vi.waitFor(async () => {
      const row = await scope
        .selectFrom('metric_rollups')
        .select(['count', 'sum', 'min', 'max'])
        .where('resolution', '=', '1h')
        .where('bucket', '=', new Date(hour.start))
        .executeTakeFirst();
      expect(row && { ...row, count: Number(row.count) }).toEqual({
        count: 2,
        sum: 40,
        min: 10,
        max: 30,
      });
    }, eventually);
  });
});

describe('pulse worker', () => {
  const serverDir = fileURLToPath(new URL('..', import.meta.url));
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  const id = randomBytes(4).toString('hex');
  const schema = `test_worker_${id}`;
  const keyPrefix = `test:${id}:`;

  beforeAll(async () => {
    if (databaseUrl) await createSchema(databaseUrl, schema);
  });
  afterAll(async () => {
    await removeQueue(redisUrl, keyPrefix);
    if (databaseUrl) await dropSchema(databaseUrl, schema);
  });

  /** Resolves with each log line of the process as parsed JSON, until `until` matches one. */
  function startWorker() {
    const child = spawn(
      process.execPath,
      ['--conditions=@pulse/source', '--import', 'tsx', 'src/cli.ts', 'worker'],
      {
        cwd: serverDir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          LOG_LEVEL: 'debug',
          PULSE_DATA_DIR: 'memory',
          ROLLUP_INTERVAL_MS: '200',
          ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema } : {}),
          ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix } : {}),
        },
      },
    );
    const lines: { msg?: string; job?: string }[] = [];
    let stderr = '';
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const line of complete) if (line.trim()) lines.push(JSON.parse(line));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { child, lines, exited, stderr: () => stderr };
  }

  async function stopWorker(worker: { child: ChildProcess; exited: Promise<number | null> }) {
    worker.child.kill('SIGTERM');
    return worker.exited;
  }

  it('runs the jobs in a process of its own and stops cleanly on SIGTERM', async () => {
    const worker = startWorker();
    try {
      await vi.waitFor(() => {
        expect(worker.stderr()).toBe('');
        expect(worker.lines.map((l) => l.msg)).toContain('workers started');
        // Every job has completed a run, each logged as done.
        const done = worker.lines.filter((l) => l.msg === 'job done').map((l) => l.job);
        expect(new Set(done)).toEqual(
          new Set(['rollups', 'partitions', 'retention', 'history-retention']),
        );
      }, processStart);
    } finally {
      expect(await stopWorker(worker)).toBe(0);
    }
    const messages = worker.lines.map((l) => l.msg);
    expect(messages.slice(-2)).toEqual([
      'shutting down: letting running jobs finish',
      'worker stopped',
    ]);
  }, 40_000);

  // A worker shares data with the test only through a real PostgreSQL.
  if (databaseUrl) {
    it('picks up where a stopped worker left off, counting nothing twice', async () => {
      const database = createDatabase({ kind: 'postgres', url: databaseUrl, schema, poolSize: 2 });
      try {
        const db = database.db;
        const ws = await newWorkspace(db);
        const { start: hour, at } = recentHour(3);
        await ingest(db, ws, [
          { user: 'u1', at: at(1) },
          { user: 'u2', at: at(2) },
        ]);
        const first = startWorker();
        await vi.waitFor(
          async () => expect(await hourRollup(db, ws, hour)).toMatchObject({ count: 2 }),
          processStart,
        );
        expect(await stopWorker(first)).toBe(0);

        await ingest(db, ws, [{ user: 'u1', at: at(1, 30) }]);
        const second = startWorker();
        try {
          await vi.waitFor(
            async () =>
              expect(await hourRollup(db, ws, hour)).toEqual({ count: 3, users: 2, revenue: 15 }),
            processStart,
          );
        } finally {
          expect(await stopWorker(second)).toBe(0);
        }
      } finally {
        await database.close();
      }
    }, 70_000);
  }
});

describe('worker configuration', () => {
  it('has defaults and names a wrong variable', () => {
    expect(loadConfig({}).workers).toEqual({
      inProcess: true,
      rollupIntervalMs: 10_000,
      partitionIntervalMs: 3_600_000,
      retentionIntervalMs: 3_600_000,
      partitionDaysAhead: 7,
      retentionDays: 90,
      rollupRetentionDays: 400,
      historyRetentionDays: 30,
    });
    expect(loadConfig({ PULSE_WORKERS: 'false' }).workers.inProcess).toBe(false);
    expect(() => loadConfig({ PULSE_WORKERS: 'sometimes' })).toThrow(/PULSE_WORKERS/);
    expect(() => loadConfig({ ROLLUP_INTERVAL_MS: '0' })).toThrow(/ROLLUP_INTERVAL_MS/);
    expect(() => loadConfig({ RETENTION_DAYS: '30', ROLLUP_RETENTION_DAYS: '7' })).toThrow(
      /ROLLUP_RETENTION_DAYS must be at least RETENTION_DAYS \(30\)/,
    );
  });
});
