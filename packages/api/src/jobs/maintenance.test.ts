import { ensureDailyPartitions, type PulseDatabase, scopeTo } from '@pulse/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeEventRollups } from '../events/events.rollups.js';
import { openTestDatabase } from '../history/database.test-suite.js';
import { applyRetention, ensurePartitionsAhead } from './index.js';

function useDatabase() {
  const state: { database?: PulseDatabase } = {};
  beforeAll(async () => {
    state.database = await openTestDatabase('jobs', 4);
  }, 60_000);
  afterAll(async () => {
    await state.database?.close();
  });
  return () => {
    if (!state.database) throw new Error('database not open yet');
    return state.database.db;
  };
}

type Db = ReturnType<ReturnType<typeof useDatabase>>;

async function newWorkspace(db: Db): Promise<string> {
  const row = await db
    .insertInto('workspaces')
    .values({ name: 'w' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

interface TestEvent {
  type: string;
  at: string;
  user?: string;
  anon?: string;
  price?: number;
  quantity?: number;
}

let nextId = 0;
/** As ingestion stores a batch: the rows, then one dirty mark per distinct minute. */
async function ingest(db: Db, workspaceId: string, events: TestEvent[]) {
  const scope = scopeTo(db, workspaceId);
  await scope
    .insertInto(
      'events',
      events.map((e) => ({
        id: `e${++nextId}`,
        type: e.type,
        timestamp: e.at,
        user_id: e.user ?? null,
        anonymous_id: e.anon ?? null,
        properties: '{}',
        price: e.price ?? null,
        quantity: e.quantity ?? null,
      })),
    )
    .execute();
  const minutes = new Set(events.map((e) => `${e.at.slice(0, 16)}:00Z`));
  await scope
    .insertInto(
      'rollup_dirty',
      [...minutes].map((bucket) => ({ source: 'events' as const, bucket })),
    )
    .execute();
}

async function rollups(db: Db, workspaceId: string) {
  const rows = await scopeTo(db, workspaceId)
    .selectFrom('event_rollups')
    .select(['resolution', 'bucket', 'type', 'count', 'users', 'revenue'])
    .orderBy('resolution')
    .orderBy('bucket')
    .orderBy('type')
    .execute();
  return rows.map((r) => [
    r.resolution,
    new Date(r.bucket).toISOString().slice(11, 16),
    r.type,
    Number(r.count),
    Number(r.users),
    Number(r.revenue),
  ]);
}

const pendingMarks = async (db: Db) =>
  Number(
    (
      await db
        .selectFrom('rollup_dirty')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('event rollups', () => {
  const db = useDatabase();
  let ws: string;
  let other: string;

  // Hand-computed from the events below (hour 10:00 and 11:00 of 2026-03-10, UTC).
  const expected = [
    ['1h', '10:00', 'page_view', 5, 3, 0], // u1 ×3, a1, u2 → u1, a1, u2
    ['1h', '10:00', 'purchase', 3, 2, 39], // 10.5×2 + 5×1 + 3.25×4
    ['1h', '10:00', 'signup', 1, 0, 0], // neither a user nor an anonymous id
    ['1h', '11:00', 'page_view', 1, 1, 0],
    ['1m', '10:00', 'page_view', 3, 2, 0],
    ['1m', '10:00', 'purchase', 2, 2, 26],
    ['1m', '10:01', 'page_view', 1, 1, 0],
    ['1m', '10:01', 'purchase', 1, 1, 13],
    ['1m', '10:01', 'signup', 1, 0, 0],
    ['1m', '10:30', 'page_view', 1, 1, 0],
    ['1m', '11:05', 'page_view', 1, 1, 0],
  ];

  beforeAll(async () => {
    ws = await newWorkspace(db());
    other = await newWorkspace(db());
    const day = '2026-03-10T';
    await ingest(db(), ws, [
      { type: 'page_view', at: `${day}10:00:01Z`, user: 'u1' },
      { type: 'page_view', at: `${day}10:00:30Z`, user: 'u1' },
      { type: 'page_view', at: `${day}10:00:59.999Z`, anon: 'a1' },
      { type: 'purchase', at: `${day}10:00:10Z`, user: 'u1', price: 10.5, quantity: 2 },
      { type: 'purchase', at: `${day}10:00:20Z`, user: 'u2', price: 5 },
      { type: 'page_view', at: `${day}10:01:00Z`, user: 'u2' },
      { type: 'purchase', at: `${day}10:01:05Z`, user: 'u1', price: 3.25, quantity: 4 },
      { type: 'signup', at: `${day}10:01:06Z` },
      { type: 'page_view', at: `${day}10:30:00Z`, user: 'u1' },
      { type: 'page_view', at: `${day}11:05:00Z`, user: 'u3' },
    ]);
    // Another workspace in the same minute: its rows stay its own.
    await ingest(db(), other, [{ type: 'page_view', at: `${day}10:00:00Z`, user: 'u1' }]);
  });

  it('computes minute and hour rows from the raw events, per workspace', async () => {
    expect(await recomputeEventRollups(db(), {})).toEqual({ buckets: 5 });
    expect(await rollups(db(), ws)).toEqual(expected);
    expect(await rollups(db(), other)).toEqual([
      ['1h', '10:00', 'page_view', 1, 1, 0],
      ['1m', '10:00', 'page_view', 1, 1, 0],
    ]);
    expect(await pendingMarks(db())).toBe(0);
  });

  it('changes nothing when run again, with or without fresh marks', async () => {
    expect(await recomputeEventRollups(db(), {})).toEqual({ buckets: 0 });
    await scopeTo(db(), ws)
      .insertInto('rollup_dirty', [
        { source: 'events', bucket: '2026-03-10T10:00:00Z' },
        { source: 'events', bucket: '2026-03-10T11:05:00Z' },
      ])
      .execute();
    expect(await recomputeEventRollups(db(), { batchSize: 1 })).toEqual({ buckets: 2 });
    expect(await rollups(db(), ws)).toEqual(expected);
  });

  it('re-rolls the minute and hour a late event lands in, and only those', async () => {
    const untouched = () =>
      scopeTo(db(), ws)
        .selectFrom('event_rollups')
        .select('updated_at')
        .where('bucket', '=', new Date('2026-03-10T11:05:00Z'))
        .executeTakeFirstOrThrow();
    const before = await untouched();
    await ingest(db(), ws, [{ type: 'page_view', at: '2026-03-10T10:01:30Z', user: 'u4' }]);
    expect(await recomputeEventRollups(db(), {})).toEqual({ buckets: 1 });
    const now = await rollups(db(), ws);
    expect(now).toContainEqual(['1m', '10:01', 'page_view', 2, 2, 0]);
    expect(now).toContainEqual(['1h', '10:00', 'page_view', 6, 4, 0]);
    expect(now.filter((row) => !expected.some((e) => e.join() === row.join()))).toHaveLength(2);
    expect(await untouched()).toEqual(before);
  });

  it('leaves the marks in place when a run fails midway, and the next run completes', async () => {
    await sql`
      create function pulse_test_fail() returns trigger language plpgsql as $$
      begin raise exception 'injected failure'; end $$`.execute(db());
    await sql`
      create trigger pulse_test_fail before insert on event_rollups
      for each row when (new.resolution = '1h') execute function pulse_test_fail()`.execute(db());
    await ingest(db(), ws, [
      { type: 'purchase', at: '2026-03-10T10:30:10Z', user: 'u5', price: 1, quantity: 1 },
    ]);
    await expect(recomputeEventRollups(db(), {})).rejects.toThrow(/injected failure/);
    expect(await pendingMarks(db())).toBe(1);
    expect(await rollups(db(), ws)).not.toContainEqual(['1m', '10:30', 'purchase', 1, 1, 1]);

    await sql`drop trigger pulse_test_fail on event_rollups`.execute(db());
    await sql`drop function pulse_test_fail()`.execute(db());
    expect(await recomputeEventRollups(db(), {})).toEqual({ buckets: 1 });
    const now = await rollups(db(), ws);
    expect(now).toContainEqual(['1m', '10:30', 'purchase', 1, 1, 1]);
    expect(now).toContainEqual(['1h', '10:00', 'purchase', 4, 3, 40]);
    expect(await pendingMarks(db())).toBe(0);
  });

  it('splits concurrent runs without losing or doubling a count', async () => {
    const busy = await newWorkspace(db());
    const events: TestEvent[] = [];
    for (let minute = 0; minute < 90; minute += 1) {
      const at = new Date(Date.UTC(2026, 2, 11, 8, minute, 7)).toISOString();
      for (let i = 0; i <= minute % 3; i += 1) events.push({ type: 't', at, user: `u${i}` });
    }
    for (let copy = 0; copy < 3; copy += 1) await ingest(db(), busy, events.slice(0, 1));
    await ingest(db(), busy, events);
    await Promise.all([
      recomputeEventRollups(db(), { batchSize: 7 }),
      recomputeEventRollups(db(), { batchSize: 7 }),
      recomputeEventRollups(db(), { batchSize: 7 }),
    ]);
    const rows = await rollups(db(), busy);
    const minutes = rows.filter((r) => r[0] === '1m');
    expect(minutes).toHaveLength(90);
    expect(minutes.reduce((sum, r) => sum + Number(r[3]), 0)).toBe(events.length + 3);
    expect(rows.filter((r) => r[0] === '1h')).toEqual([
      ['1h', '08:00', 't', 120 + 3, 3, 0], // minutes 0–59: 1, 2, 3 events in turn, + 3 copies
      ['1h', '09:00', 't', 60, 3, 0],
    ]);
  });

  it('drops marks older than `since` without touching the rollups kept past raw retention', async () => {
    const old = await newWorkspace(db());
    const scope = scopeTo(db(), old);
    await scope
      .insertInto('event_rollups', {
        resolution: '1m',
        bucket: '2025-01-01T00:00:00Z',
        type: 'kept',
        count: 7,
        users: 2,
        revenue: 0,
      })
      .execute();
    await scope
      .insertInto('rollup_dirty', { source: 'events', bucket: '2025-01-01T00:00:00Z' })
      .execute();
    const since = new Date('2025-02-01T00:00:00Z');
    expect(await recomputeEventRollups(db(), { since })).toEqual({ buckets: 0 });
    expect(await rollups(db(), old)).toEqual([['1m', '00:00', 'kept', 7, 2, 0]]);
    expect(await pendingMarks(db())).toBe(0);
  });
});

describe('partitions and retention', () => {
  const db = useDatabase();
  const now = new Date('2030-01-15T12:00:00Z');

  it('creates the daily partitions from yesterday to N days ahead, once', async () => {
    const { created } = await ensurePartitionsAhead(db(), { daysAhead: 7, now });
    const days = Array.from({ length: 9 }, (_, i) => `203001${String(14 + i).padStart(2, '0')}`);
    expect(created).toEqual([
      ...days.map((d) => `events_p${d}`),
      ...days.map((d) => `metric_points_p${d}`),
    ]);
    expect(await ensurePartitionsAhead(db(), { daysAhead: 7, now })).toEqual({ created: [] });
  });

  it('drops old days and deletes expired rows, keeping rollups for longer', async () => {
    const ws = await newWorkspace(db());
    const scope = scopeTo(db(), ws);
    const oldDay = new Date('2030-01-12T00:00:00Z');
    await ensureDailyPartitions(db(), 'events', oldDay, oldDay);
    await ensureDailyPartitions(db(), 'metric_points', oldDay, oldDay);
    await ingest(db(), ws, [
      { type: 'old', at: '2030-01-12T05:00:00Z' },
      { type: 'stray', at: '2030-01-10T05:00:00Z' }, // no partition: lives in the default one
      { type: 'new', at: '2030-01-14T05:00:00Z' },
    ]);
    await scope
      .insertInto('event_ids', [
        { id: 'old', timestamp: '2030-01-12T05:00:00Z' },
        { id: 'new', timestamp: '2030-01-14T05:00:00Z' },
      ])
      .execute();
    await scope
      .insertInto('metric_points', [
        { name: 'm', value: 1, tags: '{}', timestamp: '2030-01-12T05:00:00Z' },
        { name: 'm', value: 2, tags: '{}', timestamp: '2030-01-14T05:00:00Z' },
      ])
      .execute();
    await scope
      .insertInto('ingest_stats', [
        {
          source: 'events',
          recorded_at: '2030-01-12T05:00:00Z',
          accepted: 1,
          duplicates: 0,
          rejected: 0,
        },
        {
          source: 'events',
          recorded_at: '2030-01-14T05:00:00Z',
          accepted: 1,
          duplicates: 0,
          rejected: 0,
        },
      ])
      .execute();
    const rollup = (bucket: string) => ({ resolution: '1h' as const, bucket, count: 1 });
    await scope
      .insertInto('event_rollups', [
        { ...rollup('2029-11-01T00:00:00Z'), type: 'expired', users: 1, revenue: 0 },
        { ...rollup('2030-01-10T00:00:00Z'), type: 'kept', users: 1, revenue: 0 },
      ])
      .execute();
    const commerce = { type: 'purchase', product_id: 'p', currency: 'EUR', revenue: 1 };
    await scope
      .insertInto('commerce_rollups', [
        { ...rollup('2029-11-01T00:00:00Z'), ...commerce },
        { ...rollup('2030-01-10T00:00:00Z'), ...commerce },
      ])
      .execute();
    const people = { window_seconds: 3600, key: '', people: 1, computed_at: now };
    await scope
      .insertInto('analytics_window_people', [
        { ...people, bucket: '2029-11-01T00:00:00Z' },
        { ...people, bucket: '2030-01-10T00:00:00Z' },
      ])
      .execute();
    const none = 0;
    const quality = {
      type: 'old',
      events: 1,
      missing_user_id: none,
      missing_anonymous_id: none,
      missing_identity: none,
      missing_session: none,
      missing_product_id: none,
      missing_currency: none,
      negative_price: none,
      absurd_price: none,
      negative_quantity: none,
      absurd_quantity: none,
      future: none,
      invalid_values: none,
    };
    // Data-quality counts go with the raw hours they count (the raw cutoff, not the rollups').
    await scope
      .insertInto('quality_rollups', [
        { ...quality, bucket: '2030-01-12T05:00:00Z' },
        { ...quality, bucket: '2030-01-14T05:00:00Z' },
      ])
      .execute();
    await scope
      .insertInto('quality_lag_rollups', [
        { bucket: '2030-01-12T05:00:00Z', lag: 0.5, events: 1 },
        { bucket: '2030-01-14T05:00:00Z', lag: 0.5, events: 1 },
      ])
      .execute();
    const band = { band: 50, events: 1, min_lag: 0.5, max_lag: 0.5 };
    await scope
      .insertInto('quality_lag_bands', [
        { ...band, bucket: '2030-01-12T05:00:00Z' },
        { ...band, bucket: '2030-01-14T05:00:00Z' },
      ])
      .execute();
    const metric = { name: 'm', tags: '{}', sum: 1, min: 1, max: 1, sketch: '{}' };
    await scope
      .insertInto('metric_rollups', [
        { ...rollup('2029-11-01T00:00:00Z'), ...metric },
        { ...rollup('2030-01-10T00:00:00Z'), ...metric },
      ])
      .execute();

    const outcome = await applyRetention(db(), { retentionDays: 2, rollupRetentionDays: 30, now });
    expect(outcome).toEqual({
      rawCutoff: '2030-01-13T00:00:00.000Z',
      rollupCutoff: '2029-12-16T00:00:00.000Z',
      droppedPartitions: ['events_p20300112', 'metric_points_p20300112'],
      deletedFromDefault: 1,
      deleted: {
        eventIds: 1,
        dirtyMarks: 2,
        ingestStats: 1,
        qualityRollups: 1,
        qualityLagRollups: 1,
        qualityLagBands: 1,
        eventRollups: 1,
        metricRollups: 1,
        commerceRollups: 1,
        windowPeople: 1,
      },
    });
    const left = async (table: 'events' | 'event_ids' | 'metric_points' | 'ingest_stats') =>
      Number(
        (
          await scope
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await scope.selectFrom('events').select('type').execute()).toEqual([{ type: 'new' }]);
    expect(await left('event_ids')).toBe(1);
    expect(await left('metric_points')).toBe(1);
    expect(await left('ingest_stats')).toBe(1);
    expect(await scope.selectFrom('event_rollups').select('type').execute()).toEqual([
      { type: 'kept' },
    ]);
    expect(await scope.selectFrom('analytics_window_people').select('bucket').execute()).toEqual([
      { bucket: new Date('2030-01-10T00:00:00Z') },
    ]);
    expect(await scope.selectFrom('analytics_window_people').select('bucket').execute()).toEqual([
      { bucket: new Date('2030-01-10T00:00:00Z') },
    ]);
    for (const table of ['quality_rollups', 'quality_lag_rollups', 'quality_lag_bands'] as const) {
      expect(await scope.selectFrom(table).select('bucket').execute()).toEqual([
        { bucket: new Date('2030-01-14T05:00:00Z') },
      ]);
    }
    expect(await pendingMarks(db())).toBe(1);
    expect(
      await applyRetention(db(), { retentionDays: 2, rollupRetentionDays: 30, now }),
    ).toMatchObject({
      droppedPartitions: [],
      deletedFromDefault: 0,
    });
  });
});
