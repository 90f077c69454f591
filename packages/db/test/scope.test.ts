import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, type PulseDatabase, scopeTo } from '../src/index.js';
import { openTestDatabase } from './support.js';

describe('workspace scope', () => {
  let database: PulseDatabase;
  let alpha: string;
  let beta: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    await migrateToLatest(database.db);
    for (const name of ['alpha', 'beta']) {
      const { id } = await database.db
        .insertInto('workspaces')
        .values({ name })
        .returning('id')
        .executeTakeFirstOrThrow();
      await scopeTo(database.db, id)
        .insertInto('users', [
          { email: 'same@example.test', name: `${name} one`, password_hash: 'x', role: 'owner' },
          {
            email: `${name}@example.test`,
            name: `${name} two`,
            password_hash: 'x',
            role: 'member',
          },
        ])
        .execute();
      if (name === 'alpha') alpha = id;
      else beta = id;
    }
  });
  afterAll(async () => {
    await database.close();
  });

  it('stamps inserts with its workspace and reads only its own rows', async () => {
    const rows = await scopeTo(database.db, alpha)
      .selectFrom('users')
      .select(['name', 'workspace_id'])
      .execute();
    expect(rows.map((r) => r.name).sort()).toEqual(['alpha one', 'alpha two']);
    expect(new Set(rows.map((r) => r.workspace_id))).toEqual(new Set([alpha]));
  });

  it("cannot read another workspace's row even by its id", async () => {
    const betaUser = await scopeTo(database.db, beta)
      .selectFrom('users')
      .select('id')
      .executeTakeFirstOrThrow();
    const seenFromAlpha = await scopeTo(database.db, alpha)
      .selectFrom('users')
      .selectAll()
      .where('id', '=', betaUser.id)
      .executeTakeFirst();
    expect(seenFromAlpha).toBeUndefined();
  });

  it("cannot update or delete another workspace's rows", async () => {
    const fromAlpha = scopeTo(database.db, alpha);
    const updated = await fromAlpha
      .updateTable('users')
      .set({ name: 'hijacked' })
      .where('email', '=', 'beta@example.test')
      .executeTakeFirst();
    const deleted = await fromAlpha
      .deleteFrom('users')
      .where('email', '=', 'beta@example.test')
      .executeTakeFirst();
    expect(Number(updated.numUpdatedRows)).toBe(0);
    expect(Number(deleted.numDeletedRows)).toBe(0);
    const betaRows = await scopeTo(database.db, beta)
      .selectFrom('users')
      .select('name')
      .orderBy('name')
      .execute();
    expect(betaRows.map((r) => r.name)).toEqual(['beta one', 'beta two']);
  });

  it('keeps the scope inside transactions and rolls back together', async () => {
    await expect(
      scopeTo(database.db, alpha).transaction(async (tx) => {
        await tx
          .insertInto('users', {
            email: 'temp@example.test',
            name: 'temp',
            password_hash: 'x',
            role: 'viewer',
          })
          .execute();
        expect(
          await tx
            .selectFrom('users')
            .select('id')
            .where('email', '=', 'temp@example.test')
            .executeTakeFirst(),
        ).toBeDefined();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const after = await scopeTo(database.db, alpha)
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'temp@example.test')
      .executeTakeFirst();
    expect(after).toBeUndefined();
  });

  it('reports affected rows on both drivers', async () => {
    const result = await scopeTo(database.db, beta)
      .updateTable('users')
      .set({ role: 'viewer' })
      .where('role', '=', 'member')
      .executeTakeFirst();
    expect(Number(result.numUpdatedRows)).toBe(1);
  });
});
