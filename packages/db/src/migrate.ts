import { type Kysely, type Migration, type MigrationResult, Migrator, sql } from 'kysely';
import { migrations as allMigrations } from './migrations/index.js';

export class MigrationFailedError extends Error {
  constructor(
    readonly migrationName: string | undefined,
    override readonly cause: unknown,
  ) {
    super(
      `migration ${migrationName ?? '(unknown)'} failed: ${String((cause as Error)?.message ?? cause)}`,
    );
    this.name = 'MigrationFailedError';
  }
}

/**
 * Brings the schema to the latest migration. On PostgreSQL (and PGlite) Kysely runs the
 * pending migrations in one transaction, so a failure leaves the database as it was.
 */
export async function migrateToLatest(
  // biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema.
  db: Kysely<any>,
  migrations: Record<string, Migration> = allMigrations,
): Promise<MigrationResult[]> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one: another
  // deployment's (or test run's) tables in a neighbouring schema would fool it.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: rows[0]?.schema ?? 'public',
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error');
    throw new MigrationFailedError(failed?.migrationName, error);
  }
  return results;
}
