import { describe, expect, it } from 'vitest';
import { rest, uniqueEmail, useTestServer } from './harness.js';

describe('rate limits', () => {
  const server = useTestServer({ RATE_LIMIT_SCALE: '1' });

  it('allows 10 logins a minute per IP, then answers 429 with Retry-After and RateLimit headers', async () => {
    const body = { email: uniqueEmail(), password: 'whatever-password' };
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof rest>> | undefined;
    for (let i = 0; i < 11; i += 1) {
      last = await rest(server, 'POST', '/auth/login', { body });
      statuses.push(last.status);
      if (i === 0) {
        expect(last.headers.get('ratelimit-limit')).toBe('10');
        expect(last.headers.get('ratelimit-remaining')).toBe('9');
      }
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect(last?.body.data.domainCode).toBe('RATE_LIMITED');
    const retryAfter = Number(last?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(last?.headers.get('ratelimit-remaining')).toBe('0');
  });

  it('counts each procedure separately', async () => {
    const health = await rest(server, 'GET', '/system/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', version: expect.any(String) });
  });
});
