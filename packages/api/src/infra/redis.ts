import { Redis } from 'ioredis';

/** A connection that rides out short Redis restarts without stalling requests for long. */
export function createRedisConnection(
  url: string,
  name: string,
  onError: (error: Error) => void = () => {},
): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    lazyConnect: false,
    // A command issued while Redis is down fails after two reconnect attempts (≤ ~4 s).
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    // Capped exponential backoff; the jitter keeps many processes from reconnecting in step.
    retryStrategy: (attempt) => Math.min(100 * 2 ** (attempt - 1), 2_000) + Math.random() * 100,
  });
  // Without a listener ioredis prints every reconnect failure as an unhandled error event.
  redis.on('error', onError);
  return redis;
}

/**
 * QUIT lets pending replies arrive first, but needs a live socket: on a connection that is
 * down or still connecting it would wait in the offline queue for a reconnect that may never
 * come, keeping the process alive, so those are disconnected outright.
 */
export async function closeRedisConnection(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
