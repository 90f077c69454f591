export interface CacheStats {
  hits: number;
  misses: number;
  sets: number;
  deletes: number;
}

/** A shared key/value cache with a TTL on every entry; values are JSON-serialisable. */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  /** Counters since this instance was created (per process). */
  stats(): CacheStats;
  close(): Promise<void>;
}

/**
 * Both twins accept the same TTLs: Redis `SET … PX` takes whole milliseconds only, so
 * fractions round up, and a TTL that is not positive and finite is a caller bug.
 */
export function cacheTtlMs(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`Cache TTL must be a positive number of milliseconds, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}
