import type { WorkspaceContext } from '../auth/caller.js';
import { PulseError } from '../errors.js';
import type { LatestMetricOutput } from './metrics.contract.js';
import { findLatestMetricPoint, type StoredMetricPoint } from './metrics.queries.js';

/**
 * Long enough to spare the database on dashboards polling a quiet metric, short enough that
 * an entry left stale by a race (below) or by retention does not linger.
 */
export const LATEST_CACHE_TTL_MS = 10 * 60_000;

interface CachedPoint {
  id: string;
  name: string;
  value: number;
  tags: Record<string, string>;
  timestamp: string;
}

export function latestMetricCacheKey(workspaceId: string, name: string): string {
  return `metrics:latest:${workspaceId}:${name}`;
}

/**
 * Called after an ingest committed. Only an entry that exists is moved forward: with none,
 * this process cannot know whether the database holds something newer (a late point must not
 * pose as the latest), so the next read fills it. The Cache has no compare-and-set, so two
 * processes writing one name at the same instant can leave the older point cached; the TTL
 * bounds that, and the cache never answers for longer than it.
 */
export async function rememberLatest(
  ctx: WorkspaceContext,
  stored: readonly StoredMetricPoint[],
): Promise<void> {
  const newest = new Map<string, CachedPoint>();
  for (const row of stored) {
    const candidate = toCached(row);
    const current = newest.get(row.name);
    if (!current || isNewer(candidate, current)) newest.set(row.name, candidate);
  }
  const cache = ctx.infra.cache;
  await Promise.all(
    [...newest.values()].map(async (point) => {
      const key = latestMetricCacheKey(ctx.scope.workspaceId, point.name);
      const cached = await cache.get<CachedPoint>(key);
      if (cached && isNewer(point, cached)) await cache.set(key, point, LATEST_CACHE_TTL_MS);
    }),
  ).catch(() => undefined); // the cache only speeds reads up; the points are stored
}

export async function latestMetric(
  ctx: WorkspaceContext,
  name: string,
  tags: Record<string, string> | undefined,
): Promise<LatestMetricOutput> {
  const key = latestMetricCacheKey(ctx.scope.workspaceId, name);
  const cached = await ctx.infra.cache.get<CachedPoint>(key).catch(() => undefined);
  // The cached point is the newest of the name, so when it carries the wanted tags it is
  // also the newest among the points that do.
  if (cached && (!tags || carries(cached.tags, tags))) return { ...cached, source: 'cache' };
  const row = await findLatestMetricPoint(ctx.scope, name, tags);
  if (!row) {
    throw new PulseError(
      'NOT_FOUND',
      tags
        ? 'No point of this metric carries these tags in your workspace'
        : 'No metric with this name in your workspace',
      { field: tags ? 'tags' : 'name' },
    );
  }
  const point = toCached(row);
  // A filtered answer is not the name's newest point, so only unfiltered reads fill the entry.
  if (!tags && (!cached || isNewer(point, cached))) {
    await ctx.infra.cache.set(key, point, LATEST_CACHE_TTL_MS).catch(() => undefined);
  }
  return { ...point, source: 'database' };
}

function toCached(row: StoredMetricPoint): CachedPoint {
  return {
    id: row.id,
    name: row.name,
    value: row.value,
    tags: row.tags,
    timestamp: row.timestamp.toISOString(),
  };
}

/** Later timestamp wins; on a tie the later-stored point (higher id), as the database orders. */
function isNewer(a: CachedPoint, b: CachedPoint): boolean {
  const at = Date.parse(a.timestamp);
  const bt = Date.parse(b.timestamp);
  return at !== bt ? at > bt : BigInt(a.id) > BigInt(b.id);
}

function carries(tags: Record<string, string>, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([key, value]) => tags[key] === value);
}
