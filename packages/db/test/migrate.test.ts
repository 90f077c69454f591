import { type Kysely, type Migration, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MigrationFailedError,
  migrateToLatest,
  migrations,
  type PulseDatabase,
} from '../src/index.js';
import { openTestDatabase } from './support.js';

async function tableNames(database: PulseDatabase): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
    database.db,
  );
  return rows.map((row) => row.table_name);
}

describe('migrations', () => {
  let database: PulseDatabase;
  beforeEach(async () => {
    database = await openTestDatabase();
  });
  afterEach(async () => {
    await database.close();
  });

  it('creates every foundation table and is a no-op the second time', async () => {
    const first = await migrateToLatest(database.db);
    expect(first.map((r) => r.status)).toEqual(Object.keys(migrations).map(() => 'Success'));
    expect(await tableNames(database)).toEqual(
      expect.arrayContaining(['audit_log', 'invites', 'refresh_tokens', 'users', 'workspaces']),
    );
    expect(await migrateToLatest(database.db)).toEqual([]);
  });

  it('leaves the database exactly as it was when a migration fails', async () => {
    await migrateToLatest(database.db);
    const before = await tableNames(database);
    const broken: Record<string, Migration> = {
      ...migrations,
      '9998_adds_a_table': {
        // biome-ignore lint/suspicious/noExplicitAny: migrations are typed loosely.
        up: async (db: Kysely<any>) => {
          await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
        },
      },
      '9999_fails': {
        up: async (db) => {
          await sql`select * from table_that_does_not_exist`.execute(db);
        },
      },
    };
    await expect(migrateToLatest(database.db, broken)).rejects.toBeInstanceOf(MigrationFailedError);
    expect(await tableNames(database)).toEqual(before);
    const { rows } = await sql<{
      name: string;
    }>`select name from kysely_migration order by name`.execute(database.db);
    expect(rows.map((r) => r.name)).toEqual(Object.keys(migrations));
  });
});
