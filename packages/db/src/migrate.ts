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
  const schema = rows[0]?.schema ?? 'public';
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: schema,
  });
  for (let attempt = 1; ; attempt += 1) {
    const { error, results = [] } = await migrator.migrateToLatest();
    if (!error) return results;
    if (attempt < MAX_ATTEMPTS && isNeighbourSchemaDropped(error, schema)) continue;
    const failed = results.find((r) => r.status === 'Error');
    throw new MigrationFailedError(failed?.migrationName, error);
  }
}

const MAX_ATTEMPTS = 5;

/**
 * Kysely's migrator looks for its tables by introspecting every schema of the database; when
 * another deployment's (or test run's) schema is dropped during that scan, PostgreSQL answers
 * "schema … does not exist" (3F000) for it. Nothing ran: the scan comes before any migration,
 * and migrations are transactional anyway, so trying again is safe.
 */
function isNeighbourSchemaDropped(error: unknown, ownSchema: string): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '3F000' && typeof message === 'string' && !message.includes(`"${ownSchema}"`);
}
