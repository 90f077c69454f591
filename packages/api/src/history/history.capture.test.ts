import { scopeTo } from '@pulse/db';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { newWorkspace as createWorkspace, useTestDatabase } from './database.test-suite.js';
import { findVersion, listVersions, pruneHistory, rowsAt } from './history.queries.js';

const openDatabase = useTestDatabase('history');
const database = {
  get db() {
    return openDatabase().db;
  },
};
const newWorkspace = () => createWorkspace(openDatabase());

const minute = (m: number) => `2026-01-01T00:0${m}:00.000Z`;

function rollup(workspaceId: string, m: number, type: string, count: number) {
  return {
    workspace_id: workspaceId,
    resolution: '1m' as const,
    bucket: minute(m),
    type,
    count,
    users: 1,
    revenue: 0,
    updated_at: '2026-01-01T01:00:00.000Z',
  };
}

async function tableAt(workspaceId: string, version: number) {
  const rows = await rowsAt(scopeTo(database.db, workspaceId), 'event_rollups', String(version), {
    limit: 100,
  });
  return rows.map((r) => {
    const data = r.row_data as { bucket: string; type: string; count: number };
    return `${data.bucket.slice(11, 16)} ${data.type}=${data.count}`;
  });
}

describe('history_capture trigger', () => {
  it('records one version per transaction and reads every version exactly', async () => {
    const ws = await newWorkspace();
    const db = database.db;
    // v1: two rows inserted.
    await db
      .insertInto('event_rollups')
      .values([rollup(ws, 0, 'a', 1), rollup(ws, 1, 'a', 2)])
      .execute();
    // v2: one transaction of three statements — an upsert (1 insert + 1 update), a delete.
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('event_rollups')
        .values([rollup(ws, 0, 'a', 5), rollup(ws, 2, 'b', 7)])
        .onConflict((c) =>
          c.columns(['workspace_id', 'resolution', 'bucket', 'type']).doUpdateSet({
            count: (eb) => eb.ref('excluded.count'),
          }),
        )
        .execute();
      await trx
        .deleteFrom('event_rollups')
        .where('workspace_id', '=', ws)
        .where('bucket', '=', new Date(minute(1)))
        .execute();
      // Born and replaced within v2: only its last image belongs to v2.
      await trx
        .updateTable('event_rollups')
        .set({ count: 8 })
        .where('workspace_id', '=', ws)
        .where('type', '=', 'b')
        .execute();
    });
    // A statement touching no rows records nothing.
    await db
      .deleteFrom('event_rollups')
      .where('workspace_id', '=', ws)
      .where('type', '=', 'none')
      .execute();

    const versions = await listVersions(scopeTo(db, ws), 'event_rollups', { limit: 10 });
    expect(
      versions.map((v) => [
        Number(v.version),
        v.operation,
        v.rows_inserted,
        v.rows_updated,
        v.rows_deleted,
      ]),
    ).toEqual([
      [2, 'insert+update+delete', 1, 2, 1],
      [1, 'insert', 2, 0, 0],
    ]);
    expect(await tableAt(ws, 1)).toEqual(['00:00 a=1', '00:01 a=2']);
    expect(await tableAt(ws, 2)).toEqual(['00:00 a=5', '00:02 b=8']);
  });

  it('keeps each workspace to its own versions', async () => {
    const [one, two] = [await newWorkspace(), await newWorkspace()];
    await database.db
      .insertInto('event_rollups')
      .values([rollup(one, 0, 'x', 1), rollup(two, 0, 'y', 2), rollup(two, 1, 'y', 3)])
      .execute();
    const v1 = await findVersion(scopeTo(database.db, two), 'event_rollups', { version: 1 });
    expect(v1?.rows_inserted).toBe(2);
    expect(await tableAt(two, 1)).toEqual(['00:00 y=2', '00:01 y=3']);
    expect(await tableAt(one, 1)).toEqual(['00:00 x=1']);
  });

  it('lets a workspace with history be deleted', async () => {
    const ws = await newWorkspace();
    await database.db
      .insertInto('event_rollups')
      .values(rollup(ws, 0, 'a', 1))
      .execute();
    await database.db.deleteFrom('workspaces').where('id', '=', ws).execute();
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from history_rows where workspace_id = ${ws}`.execute(database.db);
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('prunes old versions but keeps the newest and every image a kept version sees', async () => {
    const ws = await newWorkspace();
    const db = database.db;
    await db
      .insertInto('event_rollups')
      .values(rollup(ws, 0, 'a', 1))
      .execute(); // v1
    await db
      .updateTable('event_rollups')
      .set({ count: 2 })
      .where('workspace_id', '=', ws)
      .execute(); // v2
    await db
      .updateTable('event_rollups')
      .set({ count: 3 })
      .where('workspace_id', '=', ws)
      .execute(); // v3
    // Pretend v1 and v2 are old; v3 is recent.
    await sql`update history_versions set recorded_at = now() - interval '40 days'
              where workspace_id = ${ws} and version < 3`.execute(db);
    await pruneHistory(db, new Date(Date.now() - 30 * 86_400_000));
    const kept = await listVersions(scopeTo(db, ws), 'event_rollups', { limit: 10 });
    expect(kept.map((v) => Number(v.version))).toEqual([3]);
    expect(await tableAt(ws, 3)).toEqual(['00:00 a=3']);
    // The images of v1 (count=1) and v2 (count=2) are gone.
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from history_rows where workspace_id = ${ws}`.execute(db);
    expect(Number(rows[0]?.n)).toBe(1);
    // The newest version survives even when it is old itself.
    await sql`update history_versions set recorded_at = now() - interval '40 days'
              where workspace_id = ${ws}`.execute(db);
    await pruneHistory(db, new Date(Date.now() - 30 * 86_400_000));
    expect(await tableAt(ws, 3)).toEqual(['00:00 a=3']);
  });
});
