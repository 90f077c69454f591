import { retryingConflicts, scopeTo } from '@pulse/db';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { newWorkspace, useTestDatabase } from './history/database.test-suite.js';

const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });

describe('retryingConflicts', () => {
  it('runs a transaction again when it lost to a concurrent one', async () => {
    let attempts = 0;
    const answer = await retryingConflicts(async () => {
      attempts += 1;
      if (attempts < 3) throw deadlock;
      return 'done';
    });
    expect([answer, attempts]).toEqual(['done', 3]);
  });

  it('gives up after three attempts, and never retries other errors', async () => {
    let attempts = 0;
    await expect(
      retryingConflicts(async () => {
        attempts += 1;
        throw deadlock;
      }),
    ).rejects.toBe(deadlock);
    expect(attempts).toBe(3);

    attempts = 0;
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' });
    await expect(
      retryingConflicts(async () => {
        attempts += 1;
        throw unique;
      }),
    ).rejects.toBe(unique);
    expect(attempts).toBe(1);
  });
});

describe('scope.transaction under a real deadlock', () => {
  const database = useTestDatabase('deadlock');

  // PGlite has one connection: two transactions never overlap there.
  it.skipIf(!process.env.DATABASE_URL)(
    'lets both writers through: the one PostgreSQL picks as the victim is run again',
    async () => {
      const db = database().db;
      const [a, b] = [await newWorkspace(database()), await newWorkspace(database())];
      let attempts = 0;
      let arrived = 0;
      let release: () => void = () => {};
      const bothHoldTheirFirstLock = new Promise<void>((resolve) => {
        release = resolve;
      });
      // Each locks one workspace row, waits until the other holds its own, then wants the other's.
      const writer = (first: string, second: string) =>
        scopeTo(db, first).transaction(async (scope) => {
          attempts += 1;
          await scope.executeRaw(sql`select 1 from workspaces where id = ${first} for update`);
          arrived += 1;
          if (arrived === 2) release();
          await bothHoldTheirFirstLock;
          await scope.executeRaw(sql`select 1 from workspaces where id = ${second} for update`);
          await scope.executeRaw(sql`update workspaces set name = name || '+' where id = ${first}`);
        });
      await Promise.all([writer(a, b), writer(b, a)]);
      expect(attempts).toBe(3);
      const names = await db
        .selectFrom('workspaces')
        .select('name')
        .where('id', 'in', [a, b])
        .execute();
      expect(names.map((row) => row.name)).toEqual(['w+', 'w+']);
    },
  );
});
