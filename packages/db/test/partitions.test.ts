import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropPartitionsBefore,
  ensureDailyPartitions,
  migrateToLatest,
  type PulseDatabase,
  partitionName,
} from '../src/index.js';
import { openTestDatabase } from './support.js';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('daily partitions', () => {
  let database: PulseDatabase;
  let workspaceId: string;
  beforeAll(async () => {
    database = await openTestDatabase();
    await migrateToLatest(database.db);
    workspaceId = (
      await database.db
        .insertInto('workspaces')
        .values({ name: 'p' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => {
    await database.close();
  });

  const insertEvent = (id: string, timestamp: string) =>
    database.db
      .insertInto('events')
      .values({ workspace_id: workspaceId, id, type: 't', timestamp, properties: '{}' })
      .execute();
  const whereIs = async (id: string) => {
    const { rows } = await sql<{
      part: string;
    }>`select tableoid::regclass::text as part from events where id = ${id}`.execute(database.db);
    return rows[0]?.part.replace(/^.*\./, '').replaceAll('"', '');
  };

  it('creates missing days once and routes rows into them', async () => {
    const created = await ensureDailyPartitions(
      database.db,
      'events',
      day('2026-01-01'),
      day('2026-01-03'),
    );
    expect(created).toEqual(['events_p20260101', 'events_p20260102', 'events_p20260103']);
    expect(
      await ensureDailyPartitions(database.db, 'events', day('2026-01-01'), day('2026-01-03')),
    ).toEqual([]);
    await insertEvent('a', '2026-01-02T12:00:00Z');
    expect(await whereIs('a')).toBe('events_p20260102');
  });

  it('moves rows out of the default partition when their day is created', async () => {
    await insertEvent('late', '2025-12-30T08:00:00Z');
    expect(await whereIs('late')).toBe('events_default');
    await ensureDailyPartitions(database.db, 'events', day('2025-12-30'), day('2025-12-30'));
    expect(await whereIs('late')).toBe(partitionName('events', day('2025-12-30')));
  });

  it('drops whole days before the cutoff and old strays in the default partition', async () => {
    await insertEvent('ancient', '2020-05-05T00:00:00Z');
    const result = await dropPartitionsBefore(database.db, 'events', day('2026-01-02'));
    expect(result.dropped.sort()).toEqual(['events_p20251230', 'events_p20260101']);
    expect(result.deletedFromDefault).toBe(1);
    expect(await whereIs('a')).toBe('events_p20260102');
    expect(await whereIs('ancient')).toBeUndefined();
  });

  it('works for metric points too', async () => {
    const created = await ensureDailyPartitions(
      database.db,
      'metric_points',
      day('2026-02-01'),
      day('2026-02-01'),
    );
    expect(created).toEqual(['metric_points_p20260201']);
  });
});
