import { createInfra, type Infra, TokenService } from '@pulse/api';
import { createDatabase, migrateToLatest, type PulseDatabase } from '@pulse/db';
import type { ServerConfig } from './config.js';

export interface Resources {
  database: PulseDatabase;
  infra: Infra;
  tokens: TokenService;
  close(): Promise<void>;
}

/** Opens the database (migrated to the latest schema) and Redis or its in-process twin. */
export async function openResources(
  config: ServerConfig,
  options: { migrate?: boolean; log?: { warn(object: object, message: string): void } } = {},
): Promise<Resources> {
  const tokens = new TokenService(config.api.auth);
  const database = createDatabase(config.database);
  try {
    if (options.migrate ?? true) await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  const infra = createInfra({
    redisUrl: config.redis.url,
    keyPrefix: config.redis.keyPrefix,
    onRedisError: (error, connection) =>
      options.log?.warn({ err: error, connection }, 'redis connection error'),
    onBusHandlerError: (error, channel) =>
      options.log?.warn({ err: error, channel }, 'bus handler failed'),
  });
  return {
    database,
    infra,
    tokens,
    async close() {
      await Promise.allSettled([infra.close(), database.close()]);
    },
  };
}
