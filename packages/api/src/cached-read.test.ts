import { describe, expect, it } from 'vitest';
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
