// Ingest throughput: events/s through the SDK's batch API into real PostgreSQL, beside the
// same rows written straight through `pg` (the limit) and through Pulse's own insert
// statement without HTTP, all in one run on one database. Usage (after `pnpm build`):
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm --filter @pulse/bench ingest
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { type NewEvent, storeEventBatch } from '@pulse/api';
import {
  createDatabase,
  createSchema,
  dropSchema,
  ensureDailyPartitions,
  scopeTo,
} from '@pulse/db';
import { createPulseClient } from '@pulse/sdk';
import pg from 'pg';
import { startServerProcess } from './server-process.js';
import { machine, round } from './stats.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl)
  throw new Error('DATABASE_URL is required: the benchmark measures real PostgreSQL');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const BATCH = 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const run = randomBytes(3).toString('hex');
const schema = `bench_${run}`;

function makeEvents(label: string, count: number): NewEvent[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    id: `${label}-${i}`,
    type: i % 10 === 0 ? 'purchase' : i % 3 === 0 ? 'add_to_cart' : 'page_view',
    timestamp: new Date(now - (i % 3600) * 1000),
    userId: `user-${i % 5000}`,
    anonymousId: null,
    sessionId: `s-${i % 20000}`,
    properties: { path: `/p/${i % 100}`, campaign: i % 7 === 0 ? 'spring' : 'none' },
    propertiesJson: JSON.stringify({
      path: `/p/${i % 100}`,
      campaign: i % 7 === 0 ? 'spring' : 'none',
    }),
    productId: i % 10 === 0 ? `sku-${i % 300}` : null,
    price: i % 10 === 0 ? 19.99 : null,
    quantity: i % 10 === 0 ? 1 + (i % 3) : null,
    currency: i % 10 === 0 ? 'EUR' : null,
  }));
}

interface Measured {
  eventsPerSecond: number;
  serverCpuUsPerEvent: number;
  clientCpuUsPerEvent: number;
}

/** Runs `work` over batches with a fixed number of batches in flight; answers events/s. */
async function timed(
  events: NewEvent[],
  work: (batch: NewEvent[]) => Promise<unknown>,
): Promise<number> {
  const batches: NewEvent[][] = [];
  for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) {
        const batch = batches[next++] as NewEvent[];
        await work(batch);
      }
    }),
  );
  return events.length / ((performance.now() - started) / 1000);
}

async function main() {
  await createSchema(databaseUrl as string, schema);
  const server = await startServerProcess(
    {
      DATABASE_URL: databaseUrl as string,
      DATABASE_SCHEMA: schema,
      RATE_LIMIT_ENABLED: 'false',
      PULSE_WORKERS: 'false',
      DATABASE_POOL_SIZE: String(CONCURRENCY),
    },
    3917,
  );
  const direct = createDatabase({
    kind: 'postgres',
    url: databaseUrl as string,
    schema,
    poolSize: CONCURRENCY,
  });
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: CONCURRENCY,
    options: `-c search_path=${schema}`,
  });
  try {
    const client = createPulseClient({ url: server.url });
    const session = await client.register({
      email: `bench-${run}@example.test`,
      password: 'bench-password-1',
      name: 'Bench',
    });
    const workspaceId = session.workspace.id;
    const scope = scopeTo(direct.db, workspaceId);
    // As the maintenance job keeps them in production: today's and yesterday's partitions exist.
    await ensureDailyPartitions(direct.db, 'events', new Date(Date.now() - 86_400_000), new Date());

    const viaPg = (batch: NewEvent[]) =>
      pool.query(
        `insert into events (workspace_id, id, type, timestamp, user_id, anonymous_id, session_id, properties,
                             product_id, price, quantity, currency)
         select $1::uuid, * from unnest($2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[],
                                        $8::jsonb[], $9::text[], $10::numeric[], $11::int4[], $12::text[])
         on conflict do nothing`,
        [
          workspaceId,
          batch.map((e) => e.id),
          batch.map((e) => e.type),
          batch.map((e) => e.timestamp),
          batch.map((e) => e.userId),
          batch.map((e) => e.anonymousId),
          batch.map((e) => e.sessionId),
          batch.map((e) => JSON.stringify(e.properties)),
          batch.map((e) => e.productId),
          batch.map((e) => e.price),
          batch.map((e) => e.quantity),
          batch.map((e) => e.currency),
        ],
      );
    const viaStatement = (batch: NewEvent[]) =>
      storeEventBatch(scope, batch, { rejected: 0, receivedAt: new Date() });
    const toWire = (batch: NewEvent[]) =>
      batch.map((e) => ({
        id: e.id,
        type: e.type,
        timestamp: e.timestamp.toISOString(),
        userId: e.userId ?? undefined,
        sessionId: e.sessionId ?? undefined,
        properties: e.properties,
        ...(e.price === null
          ? {}
          : {
              productId: e.productId ?? undefined,
              price: e.price,
              quantity: e.quantity ?? undefined,
              currency: e.currency ?? undefined,
            }),
      }));
    const viaSdk = (batch: NewEvent[]) =>
      client.api.events.ingestBatch.mutate({ events: toWire(batch) });
    const viaRest = async (batch: NewEvent[]) => {
      const response = await fetch(`${server.url}/api/v1/events/batch`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${session.accessToken}`,
        },
        body: JSON.stringify({ events: toWire(batch) }),
      });
      if (!response.ok)
        throw new Error(`REST batch failed: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    };
    await timed(makeEvents('warm-pg', 5 * BATCH), viaPg);
    await timed(makeEvents('warm-sdk', 5 * BATCH), viaSdk);

    const paths = { pg: viaPg, statement: viaStatement, sdk: viaSdk, rest: viaRest };
    const chosen = (process.env.BENCH_PATHS?.split(',') ?? Object.keys(paths)) as Array<
      keyof typeof paths
    >;
    const results: Record<string, Measured[]> = Object.fromEntries(
      chosen.map((path) => [path, []]),
    );
    for (let round_ = 0; round_ < ROUNDS; round_ += 1) {
      for (const path of chosen) {
        const events = makeEvents(`${path}${round_}`, EVENTS);
        const serverBefore = await server.cpuSeconds();
        const clientBefore = process.cpuUsage();
        const eventsPerSecond = await timed(events, paths[path]);
        const client = process.cpuUsage(clientBefore);
        results[path]?.push({
          eventsPerSecond: round(eventsPerSecond, 0),
          // CPU time per event, immune to how busy the shared machine was: the server's (from
          // /proc) and this client's (SDK serialisation, fetch, or pg's parameter encoding).
          serverCpuUsPerEvent: round(
            (((await server.cpuSeconds()) - serverBefore) * 1e6) / EVENTS,
            1,
          ),
          clientCpuUsPerEvent: round((client.user + client.system) / EVENTS, 1),
        });
      }
    }
    const best = (key: string) =>
      Math.max(0, ...(results[key] ?? []).map((r) => r.eventsPerSecond));
    const report = {
      date: new Date().toISOString(),
      machine: machine(),
      loadAverage: loadavg().map((load) => round(load, 2)),
      events: EVENTS,
      batch: BATCH,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      eventsPerSecond: {
        pgDirect: best('pg'),
        pulseStatement: best('statement'),
        sdkToServer: best('sdk'),
        restToServer: best('rest'),
      },
      sdkShareOfLimit: round(best('sdk') / best('pg'), 3),
      statementShareOfLimit: round(best('statement') / best('pg'), 3),
      allRounds: results,
      serverRssMiB: round(await server.rssMiB()),
    };
    const metricsText = await (await fetch(`${server.url}/metrics`)).text();
    const procedureSeconds = (suffix: string) =>
      Number(
        new RegExp(
          `pulse_procedure_duration_seconds_${suffix}\\{procedure="events.ingestBatch",type="mutation",outcome="ok"\\} ([\\d.e+-]+)`,
        ).exec(metricsText)?.[1],
      );
    Object.assign(report, {
      serverMsPerBatch: round((procedureSeconds('sum') / procedureSeconds('count')) * 1000, 1),
    });
    console.log(JSON.stringify(report, null, 2));
    client.close();
  } finally {
    await server.stop();
    await pool.end();
    await direct.close();
    await dropSchema(databaseUrl as string, schema);
  }
}

await main();
