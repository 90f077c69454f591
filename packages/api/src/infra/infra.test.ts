import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  closeRedisConnection,
  createInfra,
  createRedisConnection,
  type Infra,
  MemoryCache,
  MemoryRateLimiter,
  MemoryStream,
} from './index.js';
import { describeInfraContract } from './infra.test-suite.js';
import { compareStreamIds, isStreamId, streamIdTime } from './stream.js';

const eventually = { timeout: 2_000, interval: 5 };

describeInfraContract('memory', async () => ({ infra: createInfra({}) }));

describe('memory twins', () => {
  it('evicts the least recently used cache entry beyond maxEntries', async () => {
    const cache = new MemoryCache({ maxEntries: 2 });
    await cache.set('a', 1, 1_000);
    await cache.set('b', 2, 1_000);
    await cache.get('a'); // now b is the least recently used
    await cache.set('c', 3, 1_000);
    expect(cache.size).toBe(2);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBe(1);
    expect(await cache.get('c')).toBe(3);
    await cache.close();
  });

  it('sweeps expired cache entries nobody reads again', async () => {
    const cache = new MemoryCache({ sweepIntervalMs: 10 });
    await cache.set('a', 1, 20);
    expect(cache.size).toBe(1);
    await vi.waitFor(() => expect(cache.size).toBe(0), eventually);
    await cache.close();
  });

  it('computes exact sliding-window timings', async () => {
    let now = 10_000;
    const limiter = new MemoryRateLimiter({ now: () => now });
    const rule = { limit: 2, windowMs: 1_000 };
    await limiter.consume('k', rule); // at 10_000
    now += 400;
    await limiter.consume('k', rule); // at 10_400
    now += 100;
    expect(await limiter.consume('k', rule)).toEqual({
      allowed: false,
      limit: 2,
      remaining: 0,
      retryAfterMs: 500,
      resetMs: 900,
    });
    now = 10_999;
    expect((await limiter.consume('k', rule)).retryAfterMs).toBe(1);
    now = 11_000; // the hit at 10_000 has left the window
    expect(await limiter.consume('k', rule)).toMatchObject({ allowed: true, remaining: 0 });
    expect((await limiter.consume('k', rule)).retryAfterMs).toBe(400);
    await limiter.close();
  });

  it('forgets rate-limit keys whose window has passed', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ now: () => now, sweepIntervalMs: 10 });
    for (const key of ['a', 'b', 'c']) await limiter.consume(key, { limit: 5, windowMs: 100 });
    await limiter.consume('long', { limit: 5, windowMs: 10_000 });
    expect(limiter.trackedKeys).toBe(4);
    now = 100;
    await vi.waitFor(() => expect(limiter.trackedKeys).toBe(1), eventually);
    await limiter.close();
  });

  it('trims the stream ring exactly and sweeps expired keys', async () => {
    const stream = new MemoryStream({ sweepIntervalMs: 10 });
    for (let n = 0; n < 5_000; n++) await stream.append('ring', n, { maxLength: 3, ttlMs: 60_000 });
    expect((await stream.read('ring', null, 10)).entries.map((e) => e.data)).toEqual([
      4997, 4998, 4999,
    ]);
    await stream.append('short', 1, { maxLength: 3, ttlMs: 20 });
    expect(stream.size).toBe(2);
    await vi.waitFor(() => expect(stream.size).toBe(1), eventually);
    await stream.close();
  });
});

describe('stream ids', () => {
  it('orders ids numerically and validates them', () => {
    expect(compareStreamIds('10-0', '9-5')).toBeGreaterThan(0);
    expect(compareStreamIds('5-10', '5-9')).toBeGreaterThan(0);
    expect(compareStreamIds('5-1', '5-1')).toBe(0);
    expect(compareStreamIds('0-0', '1-0')).toBeLessThan(0);
    expect(streamIdTime('1700000000123-4')).toBe(1_700_000_000_123);
    for (const id of ['1-0', '1700000000000-12']) expect(isStreamId(id)).toBe(true);
    for (const id of ['', '1', '1-', 'a-1', '1-1-1', ' 1-1', '99999999999999999-0']) {
      expect(isStreamId(id)).toBe(false);
    }
  });
});

const redisUrl = process.env.REDIS_URL;

// A plain `if`, not describe.skip: with REDIS_URL set, an unreachable Redis must fail.
if (redisUrl) {
  describe('redis', () => {
    // No ping in a beforeAll: Vitest reports tests after a failed beforeAll as skipped, and an
    // unreachable Redis must show up as failing tests (each make() pings instead).
    let admin: Redis;
    beforeAll(() => {
      admin = createRedisConnection(redisUrl, 'pulse-test-admin');
    });
    afterAll(() => closeRedisConnection(admin));

    const deleteKeys = async (keyPrefix: string) => {
      for await (const keys of admin.scanStream({ match: `${keyPrefix}*`, count: 500 })) {
        if ((keys as string[]).length > 0) await admin.del(...(keys as string[]));
      }
    };

    describeInfraContract('redis', async () => {
      const keyPrefix = `pulse-test:${randomUUID()}:`;
      const infra = createInfra({ redisUrl, keyPrefix });
      try {
        await infra.ping(); // fail here, loudly, when Redis is unreachable
      } catch (error) {
        await infra.close(); // or its connection keeps reconnecting for the rest of the run
        throw error;
      }
      return { infra, cleanup: () => deleteKeys(keyPrefix) };
    });

    describe('across processes', () => {
      const keyPrefix = `pulse-test:${randomUUID()}:`;
      let one: Infra;
      let two: Infra;
      beforeAll(() => {
        // Two instances on one Redis and prefix: what two server processes look like.
        one = createInfra({ redisUrl, keyPrefix });
        two = createInfra({ redisUrl, keyPrefix });
      });
      afterAll(async () => {
        await Promise.all([one.close(), two.close()]);
        await deleteKeys(keyPrefix);
      });

      it('delivers messages published by one process to subscribers of the other', async () => {
        const received: unknown[] = [];
        const unsubscribe = await two.bus.subscribe('events', (message) => received.push(message));
        await one.bus.publish('events', { from: 'one' });
        await vi.waitFor(() => expect(received).toEqual([{ from: 'one' }]), eventually);
        await unsubscribe();
      });

      it('shares one rate-limit window', async () => {
        const rule = { limit: 2, windowMs: 1_000 };
        expect((await one.rateLimiter.consume('shared', rule)).allowed).toBe(true);
        expect((await two.rateLimiter.consume('shared', rule)).allowed).toBe(true);
        expect((await one.rateLimiter.consume('shared', rule)).allowed).toBe(false);
      });

      it('shares one replay stream', async () => {
        const appended = await one.stream.append(
          'feed',
          { from: 'one' },
          { maxLength: 10, ttlMs: 2_000 },
        );
        const read = await two.stream.read('feed', null, 10);
        expect(read.entries).toEqual([{ id: appended.id, data: { from: 'one' } }]);
        expect(
          (await two.stream.append('feed', 2, { maxLength: 10, ttlMs: 2_000 })).previousId,
        ).toBe(appended.id);
      });

      it('shares one cache', async () => {
        await one.cache.set('shared', { v: 1 }, 2_000);
        expect(await two.cache.get('shared')).toEqual({ v: 1 });
        await two.cache.delete('shared');
        expect(await one.cache.get('shared')).toBeUndefined();
      });

      it('keeps one Redis subscription per channel, however many local handlers', async () => {
        const channel = `${keyPrefix}bus:numsub`;
        const subscriberCount = async () => {
          const [, count] = (await admin.pubsub('NUMSUB', channel)) as [string, number];
          return count;
        };
        const unsubscribeFirst = await one.bus.subscribe('numsub', () => {});
        const unsubscribeSecond = await one.bus.subscribe('numsub', () => {});
        expect(await subscriberCount()).toBe(1);
        await unsubscribeFirst();
        expect(await subscriberCount()).toBe(1);
        await unsubscribeSecond();
        expect(await subscriberCount()).toBe(0);
      });
    });
  });
}
