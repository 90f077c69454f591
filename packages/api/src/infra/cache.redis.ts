import type { Redis } from 'ioredis';
import { type Cache, type CacheStats, cacheTtlMs } from './cache.js';
import { toJson } from './json.js';

export interface RedisCacheOptions {
  /** Namespaces every key, so several apps or test runs can share one Redis. */
  keyPrefix: string;
}

/** Cache shared by every process on the same Redis; values are stored as JSON strings. */
export class RedisCache implements Cache {
  readonly #redis: Redis;
  readonly #keyPrefix: string;
  readonly #stats: CacheStats = { hits: 0, misses: 0, sets: 0, deletes: 0 };

  constructor(redis: Redis, options: RedisCacheOptions) {
    this.#redis = redis;
    this.#keyPrefix = options.keyPrefix;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const json = await this.#redis.get(this.#keyPrefix + key);
    if (json === null) {
      this.#stats.misses++;
      return undefined;
    }
    this.#stats.hits++;
    return JSON.parse(json) as T;
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    const json = toJson(value, 'Cache value');
    await this.#redis.set(this.#keyPrefix + key, json, 'PX', cacheTtlMs(ttlMs));
    this.#stats.sets++;
  }

  async delete(...keys: string[]): Promise<void> {
    // DEL without keys is a Redis syntax error.
    if (keys.length === 0) return;
    this.#stats.deletes += await this.#redis.del(...keys.map((key) => this.#keyPrefix + key));
  }

  stats(): CacheStats {
    return { ...this.#stats };
  }

  /** The connection is shared and belongs to whoever created it, so nothing to release. */
  async close(): Promise<void> {}
}
