import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  checkedRateLimitRule,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitRule,
} from './rate-limiter.js';

export interface RedisRateLimiterOptions {
  /** Namespaces every key, so several apps or test runs can share one Redis. */
  keyPrefix: string;
}

const COMMAND = 'pulseSlidingWindow';

/**
 * One round trip, atomic: prune, count, maybe log, expire. Times are Redis server
 * microseconds (TIME), so every Pulse process shares one clock whatever its own drift.
 * KEYS[1] log; ARGV[1] limit, ARGV[2] window ms, ARGV[3] suffix making the member unique.
 * Returns { allowed 0|1, count, µs until one more fits (refused only), µs until empty }.
 */
const SLIDING_WINDOW_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2]) * 1000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
local retry_after = 0
if count < limit then
  redis.call('ZADD', KEYS[1], now, time[1] .. '.' .. time[2] .. ':' .. ARGV[3])
  count = count + 1
  allowed = 1
else
  local pivot = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  retry_after = tonumber(pivot[2]) + window - now
end
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return { allowed, count, retry_after, tonumber(newest[2]) + window - now }
`;

type SlidingWindowReply = [allowed: 0 | 1, count: number, retryAfterUs: number, resetUs: number];

interface SlidingWindowCommand {
  [COMMAND](
    key: string,
    limit: number,
    windowMs: number,
    member: string,
  ): Promise<SlidingWindowReply>;
}

/** Exact sliding-log limiter shared by every process on the same Redis. */
export class RedisRateLimiter implements RateLimiter {
  readonly #redis: Redis & SlidingWindowCommand;
  readonly #keyPrefix: string;
  /** Random per instance plus a counter: unique across processes and within one µs. */
  readonly #memberPrefix = randomBytes(6).toString('hex');
  #sequence = 0;

  constructor(redis: Redis, options: RedisRateLimiterOptions) {
    // ioredis sends EVALSHA and falls back to EVAL when the server lacks the script.
    // Defining it again on a shared connection just replaces an identical definition.
    redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: SLIDING_WINDOW_LUA });
    this.#redis = redis as Redis & SlidingWindowCommand;
    this.#keyPrefix = options.keyPrefix;
  }

  async consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const { limit, windowMs } = checkedRateLimitRule(rule);
    const member = `${this.#memberPrefix}:${this.#sequence++}`;
    const [allowed, count, retryAfterUs, resetUs] = await this.#redis[COMMAND](
      this.#keyPrefix + key,
      limit,
      windowMs,
      member,
    );
    return {
      allowed: allowed === 1,
      limit,
      remaining: allowed === 1 ? limit - count : 0,
      retryAfterMs: Math.ceil(retryAfterUs / 1000),
      resetMs: Math.ceil(resetUs / 1000),
    };
  }

  /** The connection is shared and belongs to whoever created it, so nothing to release. */
  async close(): Promise<void> {}
}
