import {
  checkedRateLimitRule,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitRule,
} from './rate-limiter.js';

export interface MemoryRateLimiterOptions {
  /** Milliseconds clock; tests inject one to step through a window deterministically. */
  now?: () => number;
  /** How often keys whose whole log has left the window are dropped. */
  sweepIntervalMs?: number;
}

interface SlidingLog {
  /** Times of the allowed requests still inside the window, oldest first. */
  hits: number[];
  /** Window of the latest rule applied, so the sweep knows when the log is stale. */
  windowMs: number;
}

/** Exact sliding-log limiter for one process; the twin of RedisRateLimiter. */
export class MemoryRateLimiter implements RateLimiter {
  readonly #logs = new Map<string, SlidingLog>();
  readonly #now: () => number;
  readonly #sweepTimer: NodeJS.Timeout;

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#sweepTimer = setInterval(() => this.#dropIdleKeys(), options.sweepIntervalMs ?? 60_000);
    this.#sweepTimer.unref();
  }

  /** Keys currently holding a log; bounded by the keys active within their window. */
  get trackedKeys(): number {
    return this.#logs.size;
  }

  async consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const { limit, windowMs } = checkedRateLimitRule(rule);
    const now = this.#now();
    const log = this.#logs.get(key) ?? { hits: [], windowMs };
    log.windowMs = windowMs;
    dropExpiredHits(log, now);

    if (log.hits.length < limit) {
      log.hits.push(now);
      this.#logs.set(key, log);
      return {
        allowed: true,
        limit,
        remaining: limit - log.hits.length,
        retryAfterMs: 0,
        resetMs: windowMs,
      };
    }
    // Refused requests are not logged, so hammering a full window does not prolong it.
    // One more fits once enough hits leave that fewer than `limit` remain (the log can
    // exceed `limit` when a rule was tightened).
    const pivot = log.hits[log.hits.length - limit]!;
    const newest = log.hits[log.hits.length - 1]!;
    return {
      allowed: false,
      limit,
      remaining: 0,
      retryAfterMs: Math.ceil(pivot + windowMs - now),
      resetMs: Math.ceil(newest + windowMs - now),
    };
  }

  async close(): Promise<void> {
    clearInterval(this.#sweepTimer);
    this.#logs.clear();
  }

  #dropIdleKeys(): void {
    const now = this.#now();
    for (const [key, log] of this.#logs) {
      dropExpiredHits(log, now);
      if (log.hits.length === 0) this.#logs.delete(key);
    }
  }
}

/** A hit at `t` stays in the window while `t > now - windowMs`, as in the Redis script. */
function dropExpiredHits(log: SlidingLog, now: number): void {
  const firstLive = log.hits.findIndex((hit) => hit > now - log.windowMs);
  if (firstLive === -1) log.hits.length = 0;
  else if (firstLive > 0) log.hits.splice(0, firstLive);
}
