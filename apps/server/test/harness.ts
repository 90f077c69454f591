import { randomBytes } from 'node:crypto';
import { closeRedisConnection, createRedisConnection } from '@pulse/api';
import { createSchema, dropSchema } from '@pulse/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildServer } from '../src/app.js';
import { loadConfig, type ServerConfig } from '../src/config.js';

export interface TestServer {
  app: FastifyInstance;
  url: string;
  config: ServerConfig;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /**
   * Another process of the same deployment: this server joins that one's schema and Redis
   * prefix (and leaves them to it to remove). Only shared with DATABASE_URL and REDIS_URL set.
   */
  shareWith?: TestServer;
}

/**
 * A real server on an ephemeral port. With DATABASE_URL/REDIS_URL set it uses them (in a
 * schema and key prefix of its own); otherwise in-memory PGlite and in-process infra.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const id = randomBytes(4).toString('hex');
  const databaseUrl = process.env.DATABASE_URL;
  const shared = options.shareWith?.config;
  const schema = shared
    ? shared.database.kind === 'postgres'
      ? shared.database.schema
      : undefined
    : databaseUrl
      ? `test_${id}`
      : undefined;
  if (databaseUrl && schema && !shared) await createSchema(databaseUrl, schema);
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    PULSE_DATA_DIR: 'memory',
    PASSWORD_HASH_COST: '10',
    RATE_LIMIT_SCALE: '100',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: schema,
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: process.env.REDIS_URL,
    REDIS_KEY_PREFIX: shared?.redis.keyPrefix ?? `test:${id}:`,
    // Background jobs cost every test server time; tests of the jobs turn them on.
    PULSE_WORKERS: 'false',
    ...env,
  });
  const app = await buildServer(config, { logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    config,
    async close() {
      await app.close();
      if (shared) return;
      if (databaseUrl && schema) await dropSchema(databaseUrl, schema);
      await deleteRedisKeys(config);
    },
  };
}

/** Replay streams outlive a test run by a day; the prefix is this server's alone. */
async function deleteRedisKeys(config: ServerConfig): Promise<void> {
  if (!config.redis.url) return;
  const redis = createRedisConnection(config.redis.url, 'pulse-test-cleanup');
  try {
    for await (const keys of redis.scanStream({
      match: `${config.redis.keyPrefix}*`,
      count: 500,
    })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
  } finally {
    await closeRedisConnection(redis);
  }
}

/**
 * One server for the enclosing describe block: started before its tests, closed after. The
 * returned object stands for that server once it is up.
 */
export function useTestServer(env: Record<string, string> = {}): TestServer {
  let current: TestServer | undefined;
  beforeAll(async () => {
    current = await startTestServer(env);
  });
  afterAll(async () => {
    await current?.close();
  });
  const started = () => {
    if (!current) throw new Error('the test server is not started yet (use it inside a test)');
    return current;
  };
  return {
    get app() {
      return started().app;
    },
    get url() {
      return started().url;
    },
    get config() {
      return started().config;
    },
    close: () => started().close(),
  };
}

let counter = 0;
export function uniqueEmail(label = 'user'): string {
  counter += 1;
  return `${label}.${counter}.${randomBytes(3).toString('hex')}@example.test`;
}

/** JSON over fetch, as a non-TypeScript client would call the REST surface. */
export async function rest(
  server: Pick<TestServer, 'url'>,
  method: string,
  path: string,
  options: {
    body?: unknown;
    token?: string;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined || options.rawBody !== undefined)
    headers['content-type'] ??= 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers,
    body:
      options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary JSON bodies.
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // non-JSON bodies stay as text so the assertion shows them
  }
  return { status: response.status, headers: response.headers, body };
}

/** A response body as loosely-typed JSON, for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary JSON bodies.
export async function readJson(response: Response): Promise<any> {
  return response.json();
}
