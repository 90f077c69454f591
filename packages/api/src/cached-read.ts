import type { WorkspaceContext } from './auth/caller.js';

/**
 * A computed read answered from the shared cache for `ttlSeconds`.
 *
 * Keys carry the workspace, the topic's generation and the caller's parameters. Reads whose
 * answer depends on a closed time window put the window's end in `parts`, so a new window is
 * a new key; writes that change an answer outright call `invalidateTopic`, which moves the
 * generation on so every process stops using the old entries at once. A request with
 * `Cache-Control: no-cache` skips the lookup and refreshes the entry.
 */
export interface CachedReadOptions<T> {
  topic: string;
  parts: readonly (string | number | boolean | null | undefined)[];
  ttlSeconds: number;
  compute: () => Promise<T>;
}

interface CacheEntry<T> {
  value: T;
  computedAt: number;
}

export async function cachedRead<T>(
  ctx: WorkspaceContext,
  options: CachedReadOptions<T>,
): Promise<T> {
  const cache = ctx.infra.cache;
  const workspaceId = ctx.scope.workspaceId;
  const generation = await cache
    .get<number>(generationKey(workspaceId, options.topic))
    .catch(() => undefined);
  const key = `read:${options.topic}:${workspaceId}:${generation ?? 0}:${JSON.stringify(options.parts)}`;
  // The cache only speeds reads up: when it is unreachable the answer is computed.
  const hit = ctx.request.revalidate
    ? undefined
    : await cache.get<CacheEntry<T>>(key).catch(() => undefined);
  if (hit) {
    announce(ctx, 'HIT', hit.computedAt, options.ttlSeconds);
    return hit.value;
  }
  const value = await options.compute();
  const computedAt = Date.now();
  await cache
    .set(key, { value, computedAt } satisfies CacheEntry<T>, options.ttlSeconds * 1000)
    .catch(() => undefined);
  announce(ctx, 'MISS', computedAt, options.ttlSeconds);
  return value;
}

/** Makes every cached answer of `topic` in the workspace stale, in every process. */
export async function invalidateTopic(
  ctx: Pick<WorkspaceContext, 'infra'>,
  workspaceId: string,
  topic: string,
): Promise<void> {
  const key = generationKey(workspaceId, topic);
  const cache = ctx.infra.cache;
  const current = (await cache.get<number>(key).catch(() => undefined)) ?? 0;
  // A day outlives every read TTL, so an expired generation can never bring old entries back.
  await cache.set(key, current + 1, 24 * 3600_000).catch(() => undefined);
}

function generationKey(workspaceId: string, topic: string): string {
  return `read-generation:${topic}:${workspaceId}`;
}

/** REST clients see where the answer came from and how old it is. */
function announce(
  ctx: WorkspaceContext,
  outcome: 'HIT' | 'MISS',
  computedAt: number,
  ttlSeconds: number,
): void {
  const setHeader = ctx.request.setHeader;
  if (!setHeader) return;
  setHeader('X-Cache', outcome);
  setHeader('Age', String(Math.max(0, Math.floor((Date.now() - computedAt) / 1000))));
  setHeader('Cache-Control', `private, max-age=${ttlSeconds}`);
}
