import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { quoteIdent } from './admin.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';

export type DatabaseOptions =
  | {
      kind: 'postgres';
      url: string;
      /** Connections in the pool. */
      poolSize?: number;
      /** Runs everything inside this schema (tests isolate themselves this way). */
      schema?: string;
    }
  | {
      kind: 'pglite';
      /** A directory to persist to, or 'memory' for a throwaway database. */
      dataDir: string;
    };

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface PulseDatabase {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseOptions['kind'];
  /** Round-trips a trivial query; resolves to the latency in milliseconds. */
  ping(): Promise<number>;
  poolStats(): PoolStats;
  close(): Promise<void>;
}

// int8 and numeric arrive as strings on both drivers, so no value silently loses precision
// and code never has to care which database it runs on.
const PG_INT8 = 20;
const PG_NUMERIC = 1700;

export function createDatabase(options: DatabaseOptions): PulseDatabase {
  return options.kind === 'postgres' ? connectPostgres(options) : connectPGlite(options);
}

function connectPostgres(options: Extract<DatabaseOptions, { kind: 'postgres' }>): PulseDatabase {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === PG_INT8 || oid === PG_NUMERIC
          ? (value: string) => value
          : pg.types.getTypeParser(oid, format),
    } as pg.CustomTypesConfig,
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    ping: () => timedPing(db),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => db.destroy(),
  };
}

function connectPGlite(options: Extract<DatabaseOptions, { kind: 'pglite' }>): PulseDatabase {
  const inMemory = options.dataDir === 'memory';
  if (!inMemory) mkdirSync(options.dataDir, { recursive: true });
  const asString = (value: string) => value;
  const pglite = new PGlite({
    ...(inMemory ? {} : { dataDir: options.dataDir }),
    parsers: { [PG_INT8]: asString, [PG_NUMERIC]: asString },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    ping: () => timedPing(db),
    // One in-process connection; "waiting" is not observable without wrapping the lock.
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    close: () => db.destroy(),
  };
}

async function timedPing(db: Kysely<Database>): Promise<number> {
  const started = performance.now();
  await sql`select 1`.execute(db);
  return performance.now() - started;
}
