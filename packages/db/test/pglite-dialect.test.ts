import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, migrateToLatest, type PulseDatabase } from '../src/index.js';

// PGlite is one connection: these prove our dialect gives transactions real isolation.
describe('PGlite dialect', () => {
  let database: PulseDatabase;
  beforeAll(async () => {
    database = createDatabase({ kind: 'pglite', dataDir: 'memory' });
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database.close();
  });

  it('does not let a concurrent query see or join an open transaction', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = database.db.transaction().execute(async (trx) => {
      await trx.insertInto('workspaces').values({ name: 'in-flight' }).execute();
      await held;
      throw new Error('roll back');
    });
    // Queued behind the transaction: it must not observe the uncommitted row.
    const outside = sql<{
      n: string;
    }>`select count(*) as n from workspaces where name = 'in-flight'`.execute(database.db);
    release();
    await expect(transaction).rejects.toThrow('roll back');
    expect((await outside).rows[0]?.n).toBe('0');
  });

  it('serialises concurrent transactions so increments are not lost', async () => {
    const { id } = await database.db
      .insertInto('workspaces')
      .values({ name: 'counter' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('invites')
      .values({
        workspace_id: id,
        code_hash: 'c',
        role: 'member',
        expires_at: new Date(Date.now() + 60_000),
        max_uses: 1000,
      })
      .execute();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        database.db.transaction().execute(async (trx) => {
          const row = await trx
            .selectFrom('invites')
            .select('use_count')
            .where('code_hash', '=', 'c')
            .executeTakeFirstOrThrow();
          await trx
            .updateTable('invites')
            .set({ use_count: row.use_count + 1 })
            .where('code_hash', '=', 'c')
            .execute();
        }),
      ),
    );
    const row = await database.db
      .selectFrom('invites')
      .select('use_count')
      .where('code_hash', '=', 'c')
      .executeTakeFirstOrThrow();
    expect(row.use_count).toBe(20);
  });

  it('persists to a data directory across restarts', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'pulse-pglite-'));
    try {
      const first = createDatabase({ kind: 'pglite', dataDir: dir });
      await migrateToLatest(first.db);
      await first.db.insertInto('workspaces').values({ name: 'durable' }).execute();
      await first.close();
      const second = createDatabase({ kind: 'pglite', dataDir: dir });
      const rows = await second.db.selectFrom('workspaces').select('name').execute();
      await second.close();
      expect(rows.map((r) => r.name)).toEqual(['durable']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
