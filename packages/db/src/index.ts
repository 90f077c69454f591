export { createSchema, dropSchema } from './admin.js';
export { isConcurrencyConflict, retryingConflicts } from './conflicts.js';
export {
  createDatabase,
  type DatabaseOptions,
  type PoolStats,
  type PulseDatabase,
} from './connect.js';
export { MigrationFailedError, migrateToLatest } from './migrate.js';
export { migrations } from './migrations/index.js';
export {
  dropPartitionsBefore,
  ensureDailyPartitions,
  PARTITIONED_TABLES,
  type PartitionedTable,
  partitionName,
} from './partitions.js';
export { PGliteDialect } from './pglite-dialect.js';
export * from './schema.js';
export { type Executor, type ScopedInsert, scopeTo, type WorkspaceScope } from './scope.js';
