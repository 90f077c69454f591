// Fan-out: N WebSocket subscribers of live.events, one event ingested every 2 s, latency from
// just before the ingest request to receipt (p50/p99) and the server's memory — beside a bare
// `ws` broadcast server doing the same in the same run. Usage (after pnpm build):
//   BENCH_SUBSCRIBERS=1000 [DATABASE_URL=… REDIS_URL=…] pnpm --filter @pulse/bench fanout
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createSchema, dropSchema } from '@pulse/db';
import WebSocket from 'ws';
import { processCpuSeconds, startServerProcess } from './server-process.js';
import { machine, percentile, round } from './stats.js';

// Another benchmark may be running on the machine: BENCH_PORT moves both servers.
const PULSE_PORT = Number(process.env.BENCH_PORT ?? 3919);
const BARE_PORT = PULSE_PORT + 1;

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const UPDATES = Number(process.env.BENCH_UPDATES ?? 10);
const INTERVAL_MS = 2000;
const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const run = randomBytes(3).toString('hex');
const schema = `bench_${run}`;

interface Fleet {
  latencies: number[];
  connected: () => number;
  close(): void;
}

/** Opens `count` sockets a few hundred at a time; `onMessage` extracts the send time. */
async function openFleet(
  count: number,
  url: string,
  setup: (socket: WebSocket) => void,
  sentAtOf: (raw: string) => number | undefined,
): Promise<Fleet> {
  const sockets: WebSocket[] = [];
  const latencies: number[] = [];
  let open = 0;
  for (let i = 0; i < count; i += 250) {
    await Promise.all(
      Array.from(
        { length: Math.min(250, count - i) },
        () =>
          new Promise<void>((resolve, reject) => {
            const socket = new WebSocket(url, { perMessageDeflate: false });
            socket.on('open', () => {
              open += 1;
              setup(socket);
              resolve();
            });
            socket.on('error', reject);
            socket.on('message', (data) => {
              const sentAt = sentAtOf(data.toString());
              if (sentAt !== undefined) latencies.push(Date.now() - sentAt);
            });
            sockets.push(socket);
          }),
      ),
    );
  }
  return {
    latencies,
    connected: () => open,
    close: () => {
      for (const socket of sockets) socket.terminate();
    },
  };
}

function summarise(latencies: number[], expected: number) {
  return {
    received: latencies.length,
    expected,
    p50: round(percentile(latencies, 50), 1),
    p99: round(percentile(latencies, 99), 1),
    max: round(Math.max(...latencies), 1),
  };
}

async function measurePulse() {
  if (databaseUrl) await createSchema(databaseUrl, schema);
  const server = await startServerProcess(
    {
      RATE_LIMIT_ENABLED: 'false',
      ...(databaseUrl
        ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema }
        : { PULSE_DATA_DIR: 'memory' }),
      ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `bench:${run}:` } : {}),
    },
    PULSE_PORT,
  );
  try {
    const post = async (path: string, body: unknown, token?: string) => {
      const response = await fetch(`${server.url}/api/v1${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    };
    const session = await post('/auth/register', {
      email: `fan-${run}@example.test`,
      password: 'bench-password-1',
      name: 'Fan',
    });
    const token = session.accessToken as string;
    const rssBefore = await server.rssMiB();
    const fleet = await openFleet(
      SUBSCRIBERS,
      `${server.url.replace('http', 'ws')}/trpc?connectionParams=1`,
      (socket) => {
        socket.send(JSON.stringify({ method: 'connectionParams', data: { token } }));
        socket.send(
          JSON.stringify({
            id: 1,
            method: 'subscription',
            params: { path: 'live.events', input: { json: {} } },
          }),
        );
      },
      (raw) => {
        if (!raw.includes('"sentAt"')) return undefined;
        const message = JSON.parse(raw);
        return message.result?.data?.json?.data?.events?.[0]?.properties?.sentAt;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 2000)); // let every subscription start
    const rssConnected = await server.rssMiB();
    const cpuBefore = await server.cpuSeconds();
    for (let i = 0; i < UPDATES; i += 1) {
      await post(
        '/events',
        { id: `fan-${run}-${i}`, type: 'tick', properties: { sentAt: Date.now() } },
        token,
      );
      await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    }
    const cpuSeconds = (await server.cpuSeconds()) - cpuBefore;
    const result = {
      connected: fleet.connected(),
      latencyMs: summarise(fleet.latencies, SUBSCRIBERS * UPDATES),
      // CPU the server spent per update (ingest + fan-out), immune to how busy the machine was.
      serverCpuMsPerUpdate: round((cpuSeconds * 1000) / UPDATES, 1),
      serverRssMiB: {
        idle: round(rssBefore),
        connected: round(rssConnected),
        perConnectionKiB: round(((rssConnected - rssBefore) * 1024) / SUBSCRIBERS, 1),
      },
    };
    fleet.close();
    return result;
  } finally {
    await server.stop();
    if (databaseUrl) await dropSchema(databaseUrl, schema);
  }
}

async function measureBare() {
  const script = fileURLToPath(new URL('./bare-ws-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, String(BARE_PORT)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
  try {
    const fleet = await openFleet(
      SUBSCRIBERS,
      `ws://127.0.0.1:${BARE_PORT}`,
      () => undefined,
      (raw) => JSON.parse(raw).sentAt,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const cpuBefore = await processCpuSeconds(child.pid);
    for (let i = 0; i < UPDATES; i += 1) {
      // About the size of Pulse's message for one event.
      const body = JSON.stringify({ sentAt: Date.now(), padding: 'x'.repeat(400) });
      await fetch(`http://127.0.0.1:${BARE_PORT}/`, { method: 'POST', body });
      await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    }
    const cpuSeconds = (await processCpuSeconds(child.pid)) - cpuBefore;
    const result = {
      connected: fleet.connected(),
      latencyMs: summarise(fleet.latencies, SUBSCRIBERS * UPDATES),
      serverCpuMsPerUpdate: round((cpuSeconds * 1000) / UPDATES, 1),
    };
    fleet.close();
    return result;
  } finally {
    child.kill('SIGTERM');
  }
}

const bare = await measureBare();
const pulse = await measurePulse();
console.log(
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: machine(),
      subscribers: SUBSCRIBERS,
      updates: UPDATES,
      intervalMs: INTERVAL_MS,
      database: databaseUrl ? 'postgres' : 'pglite',
      infra: redisUrl ? 'redis' : 'in-process',
      bareWs: bare,
      pulse,
      p99RatioToBare: round(pulse.latencyMs.p99 / bare.latencyMs.p99, 2),
    },
    null,
    2,
  ),
);
