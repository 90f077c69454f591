import { describe, expect, it, vi } from 'vitest';
import type { WorkspaceContext } from './auth/caller.js';
import { cachedRead, invalidateTopic } from './cached-read.js';
import { MemoryCache } from './infra/cache.memory.js';

function contextFor(cache: MemoryCache, workspaceId: string, revalidate = false) {
  const headers = new Map<string, string>();
  const ctx = {
    infra: { cache },
    scope: { workspaceId },
    request: { revalidate, setHeader: (name: string, value: string) => headers.set(name, value) },
  } as unknown as WorkspaceContext;
  return { ctx, headers };
}

describe('cachedRead', () => {
  it('computes once, then answers from the cache and says so', async () => {
    const cache = new MemoryCache();
    let computed = 0;
    const read = (ctx: WorkspaceContext) =>
      cachedRead(ctx, {
        topic: 't',
        parts: ['a', 1],
        ttlSeconds: 60,
        compute: async () => ++computed,
      });

    const first = contextFor(cache, 'w1');
    expect(await read(first.ctx)).toBe(1);
    expect(first.headers.get('X-Cache')).toBe('MISS');
    expect(first.headers.get('Cache-Control')).toBe('private, max-age=60');

    const second = contextFor(cache, 'w1');
    expect(await read(second.ctx)).toBe(1);
    expect(second.headers.get('X-Cache')).toBe('HIT');
    expect(second.headers.get('Age')).toBe('0');

    // Another workspace never sees the first one's answer.
    expect(await read(contextFor(cache, 'w2').ctx)).toBe(2);
    await cache.close();
  });

  it('recomputes for Cache-Control: no-cache and after the topic is invalidated', async () => {
    const cache = new MemoryCache();
    let computed = 0;
    const read = (ctx: WorkspaceContext) =>
      cachedRead(ctx, { topic: 't', parts: [], ttlSeconds: 60, compute: async () => ++computed });

    expect(await read(contextFor(cache, 'w1').ctx)).toBe(1);
    expect(await read(contextFor(cache, 'w1', true).ctx)).toBe(2);
    // The refreshed entry serves the next plain read.
    expect(await read(contextFor(cache, 'w1').ctx)).toBe(2);

    await invalidateTopic({ infra: { cache } } as never, 'w1', 't');
    expect(await read(contextFor(cache, 'w1').ctx)).toBe(3);
    await invalidateTopic({ infra: { cache } } as never, 'w1', 'other-topic');
    expect(await read(contextFor(cache, 'w1').ctx)).toBe(3);
    await cache.close();
  });
});

describe('cachedRead under a burst', () => {
  it('computes once for concurrent readers, but not for no-cache requests', async () => {
    const cache = new MemoryCache();
    let computed = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const read = (ctx: WorkspaceContext) =>
      cachedRead(ctx, {
        topic: 't',
        parts: [],
        ttlSeconds: 60,
        compute: async () => {
          computed += 1;
          const mine = computed;
          await gate;
          return mine;
        },
      });
    const burst = [1, 2, 3].map(() => read(contextFor(cache, 'w1').ctx));
    const fresh = read(contextFor(cache, 'w1', true).ctx);
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    const shared = await Promise.all(burst);
    expect(new Set(shared).size).toBe(1);
    expect(await fresh).not.toBe(shared[0]);
    // One computation for the burst, one for the no-cache request.
    expect(computed).toBe(2);
    await cache.close();
  });
});

describe('cachedRead stale-while-revalidate', () => {
  /** A read keyed by `minute` whose computations wait while the gate is closed. */
  function minuteRead(maxAgeSeconds = 120) {
    let computed = 0;
    let open = true;
    const waiting: Array<() => void> = [];
    const read = (ctx: WorkspaceContext, minute: number) =>
      cachedRead(ctx, {
        topic: 't',
        parts: ['w', minute],
        ttlSeconds: 60,
        staleWhileRevalidate: { series: ['w'], maxAgeSeconds },
        compute: async () => {
          computed += 1;
          const mine = computed;
          if (!open) await new Promise<void>((resolve) => waiting.push(resolve));
          return mine;
        },
      });
    const gate = {
      close: () => {
        open = false;
      },
      open: async () => {
        open = true;
        while (waiting.length > 0) waiting.shift()?.();
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    };
    return { read, gate, computed: () => computed };
  }

  it("serves the previous key's answer while one refresh runs, then the new one", async () => {
    const cache = new MemoryCache();
    const { read, gate, computed } = minuteRead();
    expect(await read(contextFor(cache, 'w1').ctx, 1)).toBe(1);

    gate.close();
    const burst = [1, 2, 3].map(() => contextFor(cache, 'w1'));
    const answers = await Promise.all(burst.map(({ ctx }) => read(ctx, 2)));
    expect(answers).toEqual([1, 1, 1]);
    for (const { headers } of burst) {
      expect(headers.get('X-Cache')).toBe('STALE');
      expect(headers.get('Age')).toBe('0');
      expect(headers.get('Cache-Control')).toBe('private, max-age=0');
    }
    // One background refresh for the whole burst.
    expect(computed()).toBe(2);
    await gate.open();

    const after = contextFor(cache, 'w1');
    expect(await read(after.ctx, 2)).toBe(2);
    expect(after.headers.get('X-Cache')).toBe('HIT');
    // Another workspace never sees it.
    expect(await read(contextFor(cache, 'w2').ctx, 2)).toBe(3);
    await cache.close();
  });

  it('never serves an answer from before an invalidation, nor to a no-cache request', async () => {
    const cache = new MemoryCache();
    const { read } = minuteRead();
    expect(await read(contextFor(cache, 'w1').ctx, 1)).toBe(1);

    await invalidateTopic({ infra: { cache } } as never, 'w1', 't');
    const afterInvalidation = contextFor(cache, 'w1');
    expect(await read(afterInvalidation.ctx, 2)).toBe(2);
    expect(afterInvalidation.headers.get('X-Cache')).toBe('MISS');

    const noCache = contextFor(cache, 'w1', true);
    expect(await read(noCache.ctx, 3)).toBe(3);
    expect(noCache.headers.get('X-Cache')).toBe('MISS');
    await cache.close();
  });

  it('waits for the computation when the previous answer is older than the bound', async () => {
    const cache = new MemoryCache();
    const { read } = minuteRead(30);
    const started = Date.now();
    expect(await read(contextFor(cache, 'w1').ctx, 1)).toBe(1);

    const now = vi.spyOn(Date, 'now').mockReturnValue(started + 31_000);
    try {
      const late = contextFor(cache, 'w1');
      expect(await read(late.ctx, 2)).toBe(2);
      expect(late.headers.get('X-Cache')).toBe('MISS');
    } finally {
      now.mockRestore();
    }
    await cache.close();
  });
});
