import { dropSchema } from '@pulse/db';
import { describe, expect, it } from 'vitest';
import { readJson, startTestServer } from './harness.js';

describe('Redis unreachable at start-up', () => {
  it('still starts, reports Redis down in readiness, and shuts down in bounded time', async () => {
    // Nothing listens on this port: every Redis call fails or waits.
    const server = await startTestServer({
      REDIS_URL: 'redis://127.0.0.1:6390',
      PULSE_WORKERS: 'true',
      SHUTDOWN_TIMEOUT_MS: '3000',
    });
    try {
      const ready = await fetch(`${server.url}/healthz`);
      expect(ready.status).toBe(503);
      const body = await readJson(ready);
      expect(body.checks.redis).toMatchObject({ status: 'down', kind: 'redis' });
      expect(body.checks.database.status).toBe('up');
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      // Not server.close(): its Redis key clean-up would wait for the Redis that is not there.
      const started = Date.now();
      await server.app.close();
      expect(Date.now() - started).toBeLessThan(10_000);
      const { database } = server.config;
      if (database.kind === 'postgres' && database.schema)
        await dropSchema(database.url, database.schema);
    }
  }, 45_000);
});
