import { ensureDailyPartitions, type PulseDatabase, scopeTo, type WorkspaceScope } from '@pulse/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeEventRollups } from '../../events/events.rollups.js';
import { newWorkspace, openTestDatabase } from '../../history/database.test-suite.js';
import { type DeclaredTypes, qualityFromEvents, qualityFromRollups } from './quality-summary.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY) * DAY;
const firstDay = today - 3 * DAY;

/** mulberry32: a tiny seeded generator, so every run sees the same events. */
function generator(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
}

const pick = <T>(next: (n: number) => number, options: readonly T[]) =>
  options[next(options.length)] as T;

/** Microseconds past a millisecond instant, as a timestamptz literal PostgreSQL keeps exactly. */
const micros = (ms: number, extra: number) =>
  `${new Date(ms).toISOString().slice(0, -1)}${String(extra).padStart(3, '0')}Z`;

let nextId = 0;
/**
 * Events with every kind of problem data quality counts, over `spanMs` from `from`: blank or
 * missing identities, bad prices and quantities, undeclared types, lags from none to minutes
 * (some repeated to the millisecond, some to the microsecond) and timestamps ahead of arrival.
 */
function events(count: number, from: number, spanMs: number, seed: number) {
  const next = generator(seed);
  return Array.from({ length: count }, () => {
    const at = from + next(spanMs);
    const lagMs = pick(next, [0, 40, 40, 250, 1_000, 1_000, 3_500, 61_000, 400_000, -90_000]);
    const exact = next(4) === 0;
    nextId += 1;
    return {
      id: `q${nextId}`,
      type: pick(next, ['page_view', 'page_view', 'purchase', 'signup', 'mystery', 'Zeta']),
      timestamp: exact ? micros(at, next(1000)) : new Date(at).toISOString(),
      received_at: new Date(at + lagMs + (exact ? 7 : 0)).toISOString(),
      user_id: pick(next, ['u1', 'u2', '', null]),
      anonymous_id: pick(next, ['a1', '', null, null]),
      session_id: pick(next, ['s1', 's2', '', null]),
      properties: '{}',
      product_id: pick(next, ['p1', null, '']),
      currency: pick(next, ['EUR', 'USD', null, '']),
      price: pick(next, [null, '10.5', '-1', '2000000', '1000000']),
      quantity: pick(next, [null, 1, 3, -2, 20_000, 10_000]),
    };
  });
}

/** As ingestion stores a batch: the rows, then one dirty mark per distinct minute. */
async function ingest(scope: WorkspaceScope, rows: ReturnType<typeof events>) {
  await scope.insertInto('events', rows).execute();
  const minutes = new Set(
    rows.map((row) => Math.floor(Date.parse(row.timestamp) / MINUTE) * MINUTE),
  );
  await scope
    .insertInto(
      'rollup_dirty',
      [...minutes].map((at) => ({ source: 'events' as const, bucket: new Date(at).toISOString() })),
    )
    .execute();
}

const declarations: Array<[string, DeclaredTypes]> = [
  ['nothing declared', { known: null, registered: [] }],
  ['some declared', { known: ['page_view', 'purchase'], registered: ['purchase'] }],
  // What a new schema version or other commerce settings change: the kept rows still answer.
  ['others declared', { known: ['mystery', 'signup'], registered: ['signup', 'absent'] }],
];

const ranges: Array<[string, number, number]> = [
  ['whole days', firstDay, today + DAY],
  ['partial edges', firstDay + 90 * MINUTE + 17_000, today - DAY + 5 * HOUR + 30 * MINUTE],
  ['inside one hour', firstDay + 3 * HOUR + MINUTE, firstDay + 3 * HOUR + 40 * MINUTE],
  ['across one hour boundary', firstDay + 3 * HOUR + 20 * MINUTE, firstDay + 4 * HOUR + MINUTE],
  ['one whole hour and a bit', firstDay + 5 * HOUR, firstDay + 6 * HOUR + 1],
];

describe('data quality from the kept hourly counts', () => {
  const state: { database?: PulseDatabase } = {};
  beforeAll(async () => {
    state.database = await openTestDatabase('quality', 4);
  }, 60_000);
  afterAll(async () => {
    await state.database?.close();
  });

  /** Every range and declaration, the kept answer checked equal to the raw scan's. */
  async function bothWays(scope: WorkspaceScope) {
    for (const [rangeName, from, to] of ranges) {
      const range = { from: new Date(from), to: new Date(to) };
      for (const [declaredName, declared] of declarations) {
        const raw = await qualityFromEvents(scope, range, declared);
        expect(
          await qualityFromRollups(scope, range, declared),
          `${rangeName}, ${declaredName}`,
        ).toEqual(raw);
      }
    }
  }

  it('equals the raw scan before and after the job, with late events, edges and declarations', async () => {
    const database = state.database;
    if (!database) throw new Error('database not open');
    const { db } = database;
    await ensureDailyPartitions(db, 'events', new Date(firstDay), new Date(today + 2 * DAY));
    const scope = scopeTo(db, await newWorkspace(database));
    await ingest(scope, events(900, firstDay, 3 * DAY + 2 * HOUR, 1));
    // Another workspace's events in the same hours never count here.
    await ingest(scopeTo(db, await newWorkspace(database)), events(200, firstDay, 3 * DAY, 9));

    // Nothing rolled up yet: every hour is read raw through its dirty marks.
    await bothWays(scope);
    const whole = { from: new Date(firstDay), to: new Date(today + DAY) };
    const declared = declarations[1]?.[1] as DeclaredTypes;
    const before = await qualityFromEvents(scope, whole, declared);
    expect(before.counts.events).toBe(900);
    expect(before.counts.invalid).toBeGreaterThan(0);
    expect(before.unknownTop.length).toBeGreaterThan(1);

    await recomputeEventRollups(db);
    const kept = await scope
      .selectFrom('quality_rollups')
      .select((eb) => eb.fn.sum<string>('events').as('events'))
      .executeTakeFirstOrThrow();
    expect(Number(kept.events)).toBe(900);
    await bothWays(scope);

    // Late events into hours already rolled up: read raw until the job has run again.
    await ingest(scope, events(120, firstDay + DAY + 3 * HOUR, 2 * HOUR, 2));
    await bothWays(scope);
    await recomputeEventRollups(db);
    await bothWays(scope);

    // The rolled-up hours really are read from the kept rows: raw rows removed without a mark
    // still count there, while the raw scan no longer sees them.
    const rolled = await qualityFromRollups(scope, whole, declared);
    await scope
      .deleteFrom('events')
      .where('timestamp', '>=', new Date(firstDay + DAY))
      .where('timestamp', '<', new Date(firstDay + DAY + 6 * HOUR))
      .execute();
    expect(await qualityFromRollups(scope, whole, declared)).toEqual(rolled);
    expect((await qualityFromEvents(scope, whole, declared)).counts.events).toBeLessThan(
      rolled.counts.events,
    );
  }, 60_000);

  it('finds the exact lag percentiles among repeated lags, odd and even counts', async () => {
    const database = state.database;
    if (!database) throw new Error('database not open');
    const { db } = database;
    const scope = scopeTo(db, await newWorkspace(database));
    const hour = firstDay + 10 * HOUR;
    const declared = { known: null, registered: [] };
    const range = { from: new Date(hour - HOUR), to: new Date(hour + 2 * HOUR) };
    // 1, 2, 3 … events per distinct lag, so ranks fall inside runs and on their borders.
    let total = 0;
    for (const [index, lagMs] of [5, 1_250, 1_250.25, 9_999, 120_001].entries()) {
      const rows = Array.from({ length: index + 1 }, (_, n) => {
        nextId += 1;
        const at = hour + (index * 7 + n) * MINUTE;
        return {
          id: `l${nextId}`,
          type: 'page_view',
          timestamp: micros(at, 500),
          received_at: micros(at + Math.floor(lagMs), 500 + Math.round((lagMs % 1) * 1000)),
          properties: '{}',
        };
      });
      await scope.insertInto('events', rows).execute();
      await recomputeAll(db, scope, hour);
      total += rows.length;
      const raw = await qualityFromEvents(scope, range, declared);
      expect(raw.counts.events).toBe(total);
      expect(await qualityFromRollups(scope, range, declared)).toEqual(raw);
    }
  }, 60_000);
});

/** Marks the hour dirty and rolls it up, so the kept rows hold every event of it. */
async function recomputeAll(db: PulseDatabase['db'], scope: WorkspaceScope, hour: number) {
  await scope
    .insertInto('rollup_dirty', { source: 'events', bucket: new Date(hour).toISOString() })
    .execute();
  await recomputeEventRollups(db);
}
