import { randomBytes } from 'node:crypto';
import { createDatabase, createSchema, dropSchema, type PulseDatabase } from '../src/index.js';

/** A fresh, empty database: in-memory PGlite, or a throwaway schema when DATABASE_URL is set. */
export async function openTestDatabase(): Promise<PulseDatabase & { label: string }> {
  const url = process.env.DATABASE_URL;
  if (!url)
    return Object.assign(createDatabase({ kind: 'pglite', dataDir: 'memory' }), {
      label: 'pglite',
    });
  const schema = `test_db_${randomBytes(4).toString('hex')}`;
  await createSchema(url, schema);
  const database = createDatabase({ kind: 'postgres', url, schema, poolSize: 4 });
  return {
    ...database,
    label: 'postgres',
    async close() {
      await database.close();
      await dropSchema(url, schema);
    },
  };
}
