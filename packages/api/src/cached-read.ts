import type { WorkspaceContext } from './auth/caller.js';
import type { Cache } from './infra/cache.js';

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
  /**
   * A workspace-wide aggregate that a request's answer is built from (a distribution over all
   * users, say): refreshed by its TTL and by topic invalidation only, never by a client's
   * `Cache-Control: no-cache`, and it sets no response headers (the enclosing read does).
   */
  sharedAggregate?: boolean;
  /**
   * For reads whose key moves on with time (a minute in `parts`): while the new key's answer
   * is being computed, answer with the newest answer of the same `series` (the parts that do
   * not move) if it is at most `maxAgeSeconds` old, marked `X-Cache: STALE`, and refresh in
   * the background (once per process). The series lives under the topic's generation, so an
   * invalidated topic never serves an answer from before the invalidation; `Cache-Control:
   * no-cache` always computes.
   */
  staleWhileRevalidate?: {
    series: readonly (string | number | boolean | null | undefined)[];
    maxAgeSeconds: number;
  };
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
  const prefix = `${options.topic}:${workspaceId}:${generation ?? 0}`;
  const key = `read:${prefix}:${JSON.stringify(options.parts)}`;
  const stale = options.staleWhileRevalidate;
  const latestKey = stale && `read-latest:${prefix}:${JSON.stringify(stale.series)}`;
  // The cache only speeds reads up: when it is unreachable the answer is computed.
  const hit =
    ctx.request.revalidate && !options.sharedAggregate
      ? undefined
      : await cache.get<CacheEntry<T>>(key).catch(() => undefined);
  if (hit) {
    if (!options.sharedAggregate) announce(ctx, 'HIT', hit.computedAt, options.ttlSeconds);
    return hit.value;
  }
  const revalidating = ctx.request.revalidate && !options.sharedAggregate;
  if (stale && latestKey && !revalidating) {
    const previous = await cache.get<CacheEntry<T>>(latestKey).catch(() => undefined);
    if (previous && Date.now() - previous.computedAt <= stale.maxAgeSeconds * 1000) {
      if (!computing(cache).has(key)) {
        // Nobody waits for it: a failure leaves the next request to compute again.
        computeAndStore(cache, key, options, false, latestKey).catch(() => undefined);
      }
      // max-age=0: a stale answer is for this response only, a client cache must ask again.
      announce(ctx, 'STALE', previous.computedAt, 0);
      return previous.value;
    }
  }
  // Requests arriving while an answer is computed wait for it instead of computing it again
  // (a dashboard's burst at the start of a minute costs one computation per process). A
  // no-cache request asked for an answer computed after it arrived, so it never joins.
  const inFlight = revalidating ? undefined : computing(cache).get(key);
  const entry = await (inFlight ?? computeAndStore(cache, key, options, revalidating, latestKey));
  if (!options.sharedAggregate) announce(ctx, 'MISS', entry.computedAt, options.ttlSeconds);
  return entry.value as T;
}

const inFlightByCache = new WeakMap<Cache, Map<string, Promise<CacheEntry<unknown>>>>();

function computing(cache: Cache): Map<string, Promise<CacheEntry<unknown>>> {
  let map = inFlightByCache.get(cache);
  if (!map) {
    map = new Map();
    inFlightByCache.set(cache, map);
  }
  return map;
}

function computeAndStore<T>(
  cache: Cache,
  key: string,
  options: CachedReadOptions<T>,
  revalidating: boolean | undefined,
  latestKey?: string,
): Promise<CacheEntry<T>> {
  const work = (async () => {
    const value = await options.compute();
    const entry: CacheEntry<T> = { value, computedAt: Date.now() };
    await cache.set(key, entry, options.ttlSeconds * 1000).catch(() => undefined);
    const maxAge = options.staleWhileRevalidate?.maxAgeSeconds;
    if (latestKey && maxAge) {
      await cache.set(latestKey, entry, maxAge * 1000).catch(() => undefined);
    }
    return entry;
  })();
  if (!revalidating) {
    const map = computing(cache);
    map.set(key, work);
    const forget = () => {
      if (map.get(key) === work) map.delete(key);
    };
    work.then(forget, forget);
  }
  return work;
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
  outcome: 'HIT' | 'MISS' | 'STALE',
  computedAt: number,
  ttlSeconds: number,
): void {
  const setHeader = ctx.request.setHeader;
  if (!setHeader) return;
  setHeader('X-Cache', outcome);
  setHeader('Age', String(Math.max(0, Math.floor((Date.now() - computedAt) / 1000))));
  setHeader('Cache-Control', `private, max-age=${ttlSeconds}`);
}
