import { performance } from 'node:perf_hooks';
import type { Bus, BusHandlerErrorReporter } from './bus.js';
import { MemoryBus } from './bus.memory.js';
import { RedisBus } from './bus.redis.js';
import type { Cache } from './cache.js';
import { MemoryCache } from './cache.memory.js';
import { RedisCache } from './cache.redis.js';
import type { RateLimiter } from './rate-limiter.js';
import { MemoryRateLimiter } from './rate-limiter.memory.js';
import { RedisRateLimiter } from './rate-limiter.redis.js';
import { closeRedisConnection, createRedisConnection } from './redis.js';
import type { Stream } from './stream.js';
import { MemoryStream } from './stream.memory.js';
import { RedisStream } from './stream.redis.js';

export type { Bus, BusHandler, BusHandlerErrorReporter } from './bus.js';
export { MemoryBus, type MemoryBusOptions } from './bus.memory.js';
export { RedisBus, type RedisBusOptions } from './bus.redis.js';
export type { Cache, CacheStats } from './cache.js';
export { MemoryCache, type MemoryCacheOptions } from './cache.memory.js';
export { RedisCache, type RedisCacheOptions } from './cache.redis.js';
export type { RateLimitDecision, RateLimiter, RateLimitRule } from './rate-limiter.js';
export { MemoryRateLimiter, type MemoryRateLimiterOptions } from './rate-limiter.memory.js';
export { RedisRateLimiter, type RedisRateLimiterOptions } from './rate-limiter.redis.js';
export { closeRedisConnection, createRedisConnection } from './redis.js';
export {
  compareStreamIds,
  isStreamId,
  type Stream,
  type StreamAppended,
  type StreamAppendOptions,
  type StreamEntry,
  type StreamRead,
  streamIdTime,
  ZERO_STREAM_ID,
} from './stream.js';
export { MemoryStream, type MemoryStreamOptions } from './stream.memory.js';
export { RedisStream, type RedisStreamOptions } from './stream.redis.js';

/** The shared-state services of one server process. */
export interface Infra {
  cache: Cache;
  rateLimiter: RateLimiter;
  bus: Bus;
  /** Bounded replay logs (live feeds resume from them). */
  stream: Stream;
  kind: 'redis' | 'memory';
  /** Round-trip latency in ms, for readiness checks; the memory twin resolves 0. */
  ping(): Promise<number>;
  close(): Promise<void>;
}

export interface InfraOptions {
  /** Without one everything lives in this process: fine for one server and for tests. */
  redisUrl?: string;
  /** Namespaces Redis keys and channels; default `pulse:`. */
  keyPrefix?: string;
  /** Where failing bus handlers are reported; default console.error. */
  onBusHandlerError?: BusHandlerErrorReporter;
  /** Connection-level Redis errors (reconnects are automatic); default: ignored. */
  onRedisError?: (error: Error, connection: string) => void;
}

export function createInfra(options: InfraOptions = {}): Infra {
  return options.redisUrl
    ? createRedisInfra(options.redisUrl, options)
    : createMemoryInfra(options);
}

function createMemoryInfra(options: InfraOptions): Infra {
  const cache = new MemoryCache();
  const rateLimiter = new MemoryRateLimiter();
  const bus = new MemoryBus({ onHandlerError: options.onBusHandlerError });
  const stream = new MemoryStream();
  return {
    cache,
    rateLimiter,
    bus,
    stream,
    kind: 'memory',
    ping: async () => 0,
    close: once(async () => {
      await Promise.all([cache.close(), rateLimiter.close(), bus.close(), stream.close()]);
    }),
  };
}

function createRedisInfra(redisUrl: string, options: InfraOptions): Infra {
  const keyPrefix = options.keyPrefix ?? 'pulse:';
  // One command connection serves cache, limiter and publishing; ioredis pipelines them.
  const reportTo = (connection: string) => (error: Error) =>
    options.onRedisError?.(error, connection);
  const commands = createRedisConnection(redisUrl, 'pulse-commands', reportTo('commands'));
  const cache = new RedisCache(commands, { keyPrefix: `${keyPrefix}cache:` });
  const rateLimiter = new RedisRateLimiter(commands, { keyPrefix: `${keyPrefix}ratelimit:` });
  const bus = new RedisBus(commands, {
    keyPrefix: `${keyPrefix}bus:`,
    createSubscriber: () =>
      createRedisConnection(redisUrl, 'pulse-subscriber', reportTo('subscriber')),
    onHandlerError: options.onBusHandlerError,
  });
  const stream = new RedisStream(commands, { keyPrefix: `${keyPrefix}stream:` });
  return {
    cache,
    rateLimiter,
    bus,
    stream,
    kind: 'redis',
    ping: async () => {
      const started = performance.now();
      await commands.ping();
      return performance.now() - started;
    },
    close: once(async () => {
      // The bus quits the subscriber it created; the shared connection goes last.
      await Promise.all([cache.close(), rateLimiter.close(), bus.close(), stream.close()]);
      await closeRedisConnection(commands);
    }),
  };
}

/** close() may be called from several shutdown paths; only the first does the work. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= close();
    return closing;
  };
}
