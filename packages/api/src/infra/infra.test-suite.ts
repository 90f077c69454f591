import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Infra } from './index.js';
import { describeStream } from './stream.test-suite.js';

export interface InfraUnderTest {
  infra: Infra;
  /** Removes whatever the instance left behind (Redis keys); runs after close(). */
  cleanup?: () => Promise<void>;
}

/** Must return a fresh instance with its own namespace on every call. */
export type MakeInfra = () => Promise<InfraUnderTest>;

/** Polls instead of sleeping for a guessed duration: fast when it works, bounded when not. */
const eventually = { timeout: 2_000, interval: 5 };

/** Unique per test, so parallel runs sharing one Redis never collide. */
const uniqueName = (label: string) => `${label}-${randomUUID()}`;

/**
 * The behaviour both twins promise. Each test gets its own instance; `open()` makes more
 * when a test needs two (they must not share state).
 */
export function describeInfraContract(name: string, make: MakeInfra): void {
  describe(`${name} infra contract`, () => {
    const opened: InfraUnderTest[] = [];
    const open = async () => {
      const made = await make();
      opened.push(made);
      return made.infra;
    };
    let infra: Infra;
    beforeEach(async () => {
      infra = await open();
    });
    afterEach(async () => {
      for (const made of opened.splice(0)) {
        await made.infra.close();
        await made.cleanup?.();
      }
    });

    it('answers ping with a latency', async () => {
      const latency = await infra.ping();
      expect(latency).toBeGreaterThanOrEqual(0);
      expect(latency).toBeLessThan(1_000);
    });

    describeCache(() => infra, open);
    describeRateLimiter(() => infra);
    describeBus(() => infra);
    describeStream(() => infra, open);
  });
}

function describeCache(current: () => Infra, open: () => Promise<Infra>): void {
  describe('cache', () => {
    it('misses a key that was never set', async () => {
      const { cache } = current();
      expect(await cache.get(uniqueName('missing'))).toBeUndefined();
      expect(cache.stats()).toEqual({ hits: 0, misses: 1, sets: 0, deletes: 0 });
    });

    it('returns what was set and counts hits, misses, sets and deletes', async () => {
      const { cache } = current();
      const key = uniqueName('user');
      await cache.set(key, { id: 7, name: 'Ada' }, 2_000);
      expect(await cache.get(key)).toEqual({ id: 7, name: 'Ada' });
      expect(await cache.get(uniqueName('other'))).toBeUndefined();
      await cache.delete(key, uniqueName('never-set'));
      expect(cache.stats()).toEqual({ hits: 1, misses: 1, sets: 1, deletes: 1 });
    });

    it('round-trips values through JSON, including falsy ones', async () => {
      const { cache } = current();
      const key = uniqueName('json');
      const value = {
        at: new Date(0),
        nested: { list: [1, 'two', null], dropped: undefined },
        nan: NaN,
      };
      await cache.set(key, value, 2_000);
      expect(await cache.get(key)).toEqual({
        at: '1970-01-01T00:00:00.000Z',
        nested: { list: [1, 'two', null] },
        nan: null,
      });
      for (const falsy of [null, false, 0, '']) {
        await cache.set(key, falsy, 2_000);
        expect(await cache.get(key)).toBe(falsy);
      }
    });

    it('hands out copies, so mutating a result does not change the cached value', async () => {
      const { cache } = current();
      const key = uniqueName('copy');
      await cache.set(key, { tags: ['a'] }, 2_000);
      const first = await cache.get<{ tags: string[] }>(key);
      first?.tags.push('b');
      expect(await cache.get(key)).toEqual({ tags: ['a'] });
    });

    it('expires entries after their TTL', async () => {
      const { cache } = current();
      const key = uniqueName('short');
      await cache.set(key, 'soon gone', 60);
      expect(await cache.get(key)).toBe('soon gone');
      await vi.waitFor(async () => expect(await cache.get(key)).toBeUndefined(), eventually);
    });

    it('restarts the TTL when a key is overwritten', async () => {
      const { cache } = current();
      const key = uniqueName('overwrite');
      await cache.set(key, 'old', 50);
      await cache.set(key, 'new', 2_000);
      await sleep(120);
      expect(await cache.get(key)).toBe('new');
    });

    it('deletes one or several keys and ignores missing ones', async () => {
      const { cache } = current();
      const [a, b, c] = [uniqueName('a'), uniqueName('b'), uniqueName('c')];
      await Promise.all([a, b, c].map((key) => cache.set(key, key, 2_000)));
      await cache.delete(a);
      expect(await cache.get(a)).toBeUndefined();
      await cache.delete(b, c, uniqueName('missing'));
      expect(await cache.get(b)).toBeUndefined();
      expect(await cache.get(c)).toBeUndefined();
      await cache.delete();
      expect(cache.stats().deletes).toBe(3);
    });

    it('refuses values JSON cannot represent and TTLs that are not positive', async () => {
      const { cache } = current();
      const key = uniqueName('invalid');
      await expect(cache.set(key, undefined, 1_000)).rejects.toThrow(TypeError);
      await expect(cache.set(key, () => 1, 1_000)).rejects.toThrow(TypeError);
      await expect(cache.set(key, 1n, 1_000)).rejects.toThrow(TypeError);
      for (const ttl of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(cache.set(key, 'x', ttl)).rejects.toThrow(RangeError);
      }
      expect(await cache.get(key)).toBeUndefined();
    });

    it('keeps separate instances apart', async () => {
      const other = await open();
      const key = uniqueName('shared-name');
      await current().cache.set(key, 'mine', 2_000);
      expect(await other.cache.get(key)).toBeUndefined();
    });
  });
}

function describeRateLimiter(current: () => Infra): void {
  describe('rate limiter', () => {
    it('allows exactly `limit` requests in a window, then refuses with exact timings', async () => {
      const { rateLimiter } = current();
      const key = uniqueName('burst');
      const rule = { limit: 3, windowMs: 1_000 };
      for (const remaining of [2, 1, 0]) {
        expect(await rateLimiter.consume(key, rule)).toEqual({
          allowed: true,
          limit: 3,
          remaining,
          retryAfterMs: 0,
          resetMs: 1_000,
        });
      }
      const refused = await rateLimiter.consume(key, rule);
      expect(refused).toMatchObject({ allowed: false, limit: 3, remaining: 0 });
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(1_000);
      expect(refused.resetMs).toBeGreaterThanOrEqual(refused.retryAfterMs);
      expect(refused.resetMs).toBeLessThanOrEqual(1_000);
    });

    it('lets the next request in once retryAfterMs has passed', async () => {
      const { rateLimiter } = current();
      const key = uniqueName('retry');
      const rule = { limit: 2, windowMs: 200 };
      await rateLimiter.consume(key, rule);
      await rateLimiter.consume(key, rule);
      const refused = await rateLimiter.consume(key, rule);
      expect(refused.allowed).toBe(false);
      // Node timers may fire up to ~1 ms early.
      await sleep(refused.retryAfterMs + 2);
      expect((await rateLimiter.consume(key, rule)).allowed).toBe(true);
    });

    it('slides: the window frees one request at a time instead of resetting', async () => {
      const { rateLimiter } = current();
      const key = uniqueName('slide');
      const rule = { limit: 2, windowMs: 300 };
      await rateLimiter.consume(key, rule);
      await sleep(150);
      await rateLimiter.consume(key, rule);
      const refused = await rateLimiter.consume(key, rule);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(152); // the first request leaves first
      expect(refused.resetMs).toBeGreaterThan(refused.retryAfterMs); // the second stays longer
      await sleep(refused.retryAfterMs + 2);
      expect((await rateLimiter.consume(key, rule)).allowed).toBe(true);
      expect((await rateLimiter.consume(key, rule)).allowed).toBe(false);
    });

    it('recovers fully once the window has passed', async () => {
      const { rateLimiter } = current();
      const key = uniqueName('recover');
      const rule = { limit: 1, windowMs: 100 };
      expect((await rateLimiter.consume(key, rule)).allowed).toBe(true);
      expect((await rateLimiter.consume(key, rule)).allowed).toBe(false);
      await vi.waitFor(async () => {
        expect((await rateLimiter.consume(key, rule)).allowed).toBe(true);
      }, eventually);
    });

    it('does not count refused requests', async () => {
      const { rateLimiter } = current();
      const key = uniqueName('refused');
      const rule = { limit: 1, windowMs: 200 };
      await rateLimiter.consume(key, rule);
      let refused = await rateLimiter.consume(key, rule);
      for (let i = 0; i < 5; i++) {
        await sleep(15);
        const next = await rateLimiter.consume(key, rule);
        expect(next.allowed).toBe(false);
        expect(next.retryAfterMs).toBeLessThan(refused.retryAfterMs); // not pushed back
        refused = next;
      }
      await sleep(refused.retryAfterMs + 2);
      expect((await rateLimiter.consume(key, rule)).allowed).toBe(true);
    });

    it('keeps keys independent', async () => {
      const { rateLimiter } = current();
      const rule = { limit: 1, windowMs: 1_000 };
      const [a, b] = [uniqueName('a'), uniqueName('b')];
      expect((await rateLimiter.consume(a, rule)).allowed).toBe(true);
      expect((await rateLimiter.consume(a, rule)).allowed).toBe(false);
      expect((await rateLimiter.consume(b, rule)).allowed).toBe(true);
    });

    it('admits exactly `limit` of many concurrent requests', async () => {
      const { rateLimiter } = current();
      const key = uniqueName('concurrent');
      const rule = { limit: 4, windowMs: 1_000 };
      const decisions = await Promise.all(
        Array.from({ length: 12 }, () => rateLimiter.consume(key, rule)),
      );
      const allowed = decisions.filter((decision) => decision.allowed);
      expect(allowed).toHaveLength(4);
      expect(allowed.map((decision) => decision.remaining).sort()).toEqual([0, 1, 2, 3]);
    });

    it('refuses malformed rules', async () => {
      const { rateLimiter } = current();
      const key = uniqueName('malformed');
      for (const rule of [
        { limit: 0, windowMs: 1_000 },
        { limit: 1.5, windowMs: 1_000 },
        { limit: 1, windowMs: 0 },
        { limit: 1, windowMs: Number.NaN },
      ]) {
        await expect(rateLimiter.consume(key, rule)).rejects.toThrow(RangeError);
      }
    });
  });
}

function describeBus(current: () => Infra): void {
  /** A handler that records what it receives. */
  const recorder = () => {
    const received: unknown[] = [];
    return { received, handler: (message: unknown) => void received.push(message) };
  };

  describe('bus', () => {
    it('delivers to every subscriber of the channel', async () => {
      const { bus } = current();
      const channel = uniqueName('fanout');
      const [first, second] = [recorder(), recorder()];
      await bus.subscribe(channel, first.handler);
      await bus.subscribe(channel, second.handler);
      await bus.publish(channel, { n: 1 });
      await vi.waitFor(() => {
        expect(first.received).toEqual([{ n: 1 }]);
        expect(second.received).toEqual([{ n: 1 }]);
      }, eventually);
    });

    it('does not deliver messages of other channels', async () => {
      const { bus } = current();
      const [mine, other] = [uniqueName('mine'), uniqueName('other')];
      const listener = recorder();
      await bus.subscribe(mine, listener.handler);
      await bus.publish(other, 'not for me');
      // Messages from one publisher arrive in order, so the marker proves the first was skipped.
      await bus.publish(mine, 'marker');
      await vi.waitFor(() => expect(listener.received).toContain('marker'), eventually);
      expect(listener.received).toEqual(['marker']);
    });

    it('stops delivering after unsubscribe, leaving other handlers alone', async () => {
      const { bus } = current();
      const channel = uniqueName('unsubscribe');
      const [leaving, staying] = [recorder(), recorder()];
      const unsubscribe = await bus.subscribe(channel, leaving.handler);
      await bus.subscribe(channel, staying.handler);
      await bus.publish(channel, 'before');
      await vi.waitFor(() => expect(leaving.received).toEqual(['before']), eventually);
      await unsubscribe();
      await unsubscribe(); // idempotent
      await bus.publish(channel, 'after');
      await vi.waitFor(() => expect(staying.received).toEqual(['before', 'after']), eventually);
      expect(leaving.received).toEqual(['before']);
    });

    it('treats the same function subscribed twice as two subscriptions', async () => {
      const { bus } = current();
      const channel = uniqueName('twice');
      const listener = recorder();
      const unsubscribeFirst = await bus.subscribe(channel, listener.handler);
      await bus.subscribe(channel, listener.handler);
      await bus.publish(channel, 1);
      await vi.waitFor(() => expect(listener.received).toEqual([1, 1]), eventually);
      await unsubscribeFirst();
      await bus.publish(channel, 2);
      await vi.waitFor(() => expect(listener.received).toEqual([1, 1, 2]), eventually);
    });

    it('delivers in publish order', async () => {
      const { bus } = current();
      const channel = uniqueName('order');
      const listener = recorder();
      await bus.subscribe(channel, listener.handler);
      const sent = Array.from({ length: 50 }, (_, i) => i);
      await Promise.all(sent.map((n) => bus.publish(channel, n)));
      await vi.waitFor(() => expect(listener.received).toEqual(sent), eventually);
    });

    it('round-trips payloads through JSON', async () => {
      const { bus } = current();
      const channel = uniqueName('json');
      const listener = recorder();
      await bus.subscribe(channel, listener.handler);
      await bus.publish(channel, { at: new Date(0), dropped: undefined, list: [1, null] });
      await bus.publish(channel, null);
      await vi.waitFor(() => {
        expect(listener.received).toEqual([
          { at: '1970-01-01T00:00:00.000Z', list: [1, null] },
          null,
        ]);
      }, eventually);
      await expect(bus.publish(channel, undefined)).rejects.toThrow(TypeError);
    });

    it('never calls handlers synchronously inside publish', async () => {
      const { bus } = current();
      const channel = uniqueName('async');
      const listener = recorder();
      await bus.subscribe(channel, listener.handler);
      const published = bus.publish(channel, 'later');
      expect(listener.received).toEqual([]);
      await published;
      await vi.waitFor(() => expect(listener.received).toEqual(['later']), eventually);
    });

    it('isolates failing handlers and reports their errors', async () => {
      const { bus } = current();
      const channel = uniqueName('failing');
      const reported = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        const healthy = recorder();
        await bus.subscribe(channel, () => {
          throw new Error('handler bug');
        });
        await bus.subscribe(channel, async () => {
          throw new Error('async handler bug');
        });
        await bus.subscribe(channel, healthy.handler);
        await bus.publish(channel, 1);
        await bus.publish(channel, 2);
        await vi.waitFor(() => expect(healthy.received).toEqual([1, 2]), eventually);
        await vi.waitFor(() => expect(reported).toHaveBeenCalledTimes(4), eventually);
      } finally {
        reported.mockRestore();
      }
    });
  });
}
