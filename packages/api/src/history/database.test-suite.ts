import { randomBytes } from 'node:crypto';
import {
  createDatabase,
  createSchema,
  dropSchema,
  migrateToLatest,
  type PulseDatabase,
} from '@pulse/db';
import { afterAll, beforeAll } from 'vitest';

/** In-memory PGlite, or a throwaway schema when DATABASE_URL is set; migrated. */
export async function openTestDatabase(label: string, poolSize = 2): Promise<PulseDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = createDatabase({ kind: 'pglite', dataDir: 'memory' });
    await migrateToLatest(database.db);
    return database;
  }
  const schema = `test_${label}_${randomBytes(4).toString('hex')}`;
  await createSchema(url, schema);
  const opened = createDatabase({ kind: 'postgres', url, schema, poolSize });
  await migrateToLatest(opened.db);
  return { ...opened, close: () => opened.close().then(() => dropSchema(url, schema)) };
}

/** One database for the enclosing describe block (or file). */
export function useTestDatabase(label: string): () => PulseDatabase {
  let database: PulseDatabase | undefined;
  beforeAll(async () => {
    database = await openTestDatabase(label);
  }, 60_000);
  afterAll(() => database?.close());
  return () => {
    if (!database) throw new Error('the test database is not open yet');
    return database;
  };
}

export async function newWorkspace(database: PulseDatabase): Promise<string> {
  const row = await database.db
    .insertInto('workspaces')
    .values({ name: 'w' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
