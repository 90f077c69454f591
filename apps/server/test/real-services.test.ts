import { describe, expect, it } from 'vitest';
import { readJson, startTestServer } from './harness.js';

// CI runs the suite a second time with PULSE_REQUIRE_REAL_SERVICES=1 and the URLs of the real
// PostgreSQL and Redis. This file makes that run fail, not quietly fall back, when they are
// missing or unreachable.
const required = process.env.PULSE_REQUIRE_REAL_SERVICES === '1';

describe('which services the suite runs against', () => {
  it(
    required
      ? 'uses the real PostgreSQL and Redis'
      : 'uses the embedded defaults unless told otherwise',
    async () => {
      if (required) {
        expect(
          process.env.DATABASE_URL,
          'DATABASE_URL must be set for the real-services run',
        ).toBeTruthy();
        expect(
          process.env.REDIS_URL,
          'REDIS_URL must be set for the real-services run',
        ).toBeTruthy();
      }
      const server = await startTestServer();
      try {
        const body = await readJson(await fetch(`${server.url}/healthz`));
        expect(body.status).toBe('ready');
        expect(body.checks.database.kind).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
        expect(body.checks.redis.kind).toBe(process.env.REDIS_URL ? 'redis' : 'in-process');
      } finally {
        await server.close();
      }
    },
  );
});
