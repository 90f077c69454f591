import { type Cache, type CacheStats, cacheTtlMs } from './cache.js';
import { toJson } from './json.js';

export interface MemoryCacheOptions {
  /** Beyond this many entries the least recently used one is evicted. */
  maxEntries?: number;
  /** How often expired entries that nobody reads again are swept out. */
  sweepIntervalMs?: number;
}

interface Entry {
  /** Stored serialised so values come back exactly as the Redis twin returns them. */
  json: string;
  expiresAt: number;
}

/** In-process twin of RedisCache, for single-process deployments and tests. */
export class MemoryCache implements Cache {
  /** Map order is insertion order; re-inserting on every touch keeps the LRU entry first. */
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #sweepTimer: NodeJS.Timeout;
  readonly #stats: CacheStats = { hits: 0, misses: 0, sets: 0, deletes: 0 };

  constructor(options: MemoryCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(this.#maxEntries) || this.#maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${this.#maxEntries}`);
    }
    this.#sweepTimer = setInterval(() => this.#sweep(), options.sweepIntervalMs ?? 60_000);
    this.#sweepTimer.unref();
  }

  /** Entries held, including expired ones not swept yet. */
  get size(): number {
    return this.#entries.size;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.#liveEntry(key);
    if (!entry) {
      this.#stats.misses++;
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.#stats.hits++;
    return JSON.parse(entry.json) as T;
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    const entry = { json: toJson(value, 'Cache value'), expiresAt: Date.now() + cacheTtlMs(ttlMs) };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.#stats.sets++;
    for (const lruKey of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) break;
      this.#entries.delete(lruKey);
    }
  }

  async delete(...keys: string[]): Promise<void> {
    for (const key of keys) {
      // Counts like Redis DEL: only keys that still existed (an expired entry did not).
      if (this.#liveEntry(key)) this.#stats.deletes++;
      this.#entries.delete(key);
    }
  }

  stats(): CacheStats {
    return { ...this.#stats };
  }

  async close(): Promise<void> {
    clearInterval(this.#sweepTimer);
    this.#entries.clear();
  }

  #liveEntry(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(key);
    }
  }
}
