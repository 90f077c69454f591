import { ensureDailyPartitions, type PulseDatabase, scopeTo, type WorkspaceScope } from '@pulse/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revenueExpression } from '../analytics/commerce/commerce.queries.js';
import { recomputeEventRollups } from '../events/events.rollups.js';
import { openTestDatabase } from '../history/database.test-suite.js';
import { topSegmentsFromEvents, topSegmentsFromRollups } from './revenue.queries.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY) * DAY;
const firstDay = today - 4 * DAY;

interface Purchase {
  type: string;
  at: number;
  product: string | null;
  currency: string | null;
  price: string | null;
  quantity: number | null;
}

/** Deterministic purchases (and other types) spread over `spanMs` from `from`. */
function purchases(count: number, from: number, spanMs: number, seed: number): Purchase[] {
  // mulberry32: a tiny seeded generator, so every run sees the same events.
  let state = seed;
  const next = (n: number) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
  return Array.from({ length: count }, () => ({
    type: ['purchase', 'purchase', 'purchase', 'order', 'page_view'][next(5)] ?? 'purchase',
    at: from + next(spanMs),
    product: next(7) === 0 ? null : `p${next(5)}`,
    currency: next(11) === 0 ? null : (['EUR', 'USD'][next(2)] ?? null),
    price: next(13) === 0 ? null : `${next(40) + 0.99}`,
    quantity: next(3) === 0 ? null : next(4) + 1,
  }));
}

let nextId = 0;
/** As ingestion stores a batch: the rows, then one dirty mark per distinct minute. */
async function ingest(scope: WorkspaceScope, events: readonly Purchase[]) {
  await scope
    .insertInto(
      'events',
      events.map((e) => ({
        id: `c${++nextId}`,
        type: e.type,
        timestamp: new Date(e.at).toISOString(),
        properties: '{}',
        product_id: e.product,
        currency: e.currency,
        price: e.price,
        quantity: e.quantity,
      })),
    )
    .execute();
  const minutes = new Set(events.map((e) => Math.floor(e.at / MINUTE) * MINUTE));
  await scope
    .insertInto(
      'rollup_dirty',
      [...minutes].map((at) => ({ source: 'events' as const, bucket: new Date(at).toISOString() })),
    )
    .execute();
}

describe('insights revenue segments from commerce rollups', () => {
  const state: { database?: PulseDatabase } = {};
  beforeAll(async () => {
    state.database = await openTestDatabase('commerce', 4);
  }, 60_000);
  afterAll(async () => {
    await state.database?.close();
  });

  /** The rollup answer, checked equal to the raw scan's for the same range and type. */
  async function bothWays(scope: WorkspaceScope, type: string, from: number, to: number) {
    const filter = {
      purchaseType: type,
      revenue: revenueExpression('default'),
      from: new Date(from),
      to: new Date(to),
    };
    const rolled = await topSegmentsFromRollups(scope, filter, 3);
    expect(rolled).toEqual(await topSegmentsFromEvents(scope, filter, undefined, 3));
    const all = await topSegmentsFromRollups(scope, filter, 10);
    expect(all).toEqual(await topSegmentsFromEvents(scope, filter, undefined, 10));
    return all;
  }

  const ranges: Array<[string, number, number]> = [
    ['whole days', firstDay, today + DAY],
    ['partial edges', firstDay + 90 * MINUTE + 17_000, today - DAY + 5 * HOUR + 30 * MINUTE],
    ['inside one day', firstDay + DAY + 2 * HOUR, firstDay + DAY + 9 * HOUR],
    ['inside one hour', firstDay + 3 * HOUR + MINUTE, firstDay + 3 * HOUR + 40 * MINUTE],
  ];

  it('equals the raw scan before and after the rollup job, late events, edges and types', async () => {
    const { db } = state.database ?? {};
    if (!db) throw new Error('database not open');
    await ensureDailyPartitions(db, 'events', new Date(firstDay), new Date(today + 2 * DAY));
    const workspace = await db
      .insertInto('workspaces')
      .values({ name: 'commerce' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const scope = scopeTo(db, workspace.id);
    await ingest(scope, purchases(600, firstDay, 4 * DAY + HOUR, 1));

    // Nothing rolled up yet: every hour is read raw through its dirty marks.
    for (const [, from, to] of ranges) await bothWays(scope, 'purchase', from, to);

    await recomputeEventRollups(db);
    const rows = await scope
      .selectFrom('commerce_rollups')
      .select(['resolution', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('resolution')
      .orderBy('resolution')
      .execute();
    expect(rows.map((r) => r.resolution)).toEqual(['1d', '1h']);
    for (const [, from, to] of ranges) {
      const answer = await bothWays(scope, 'purchase', from, to);
      if (to - from > HOUR) expect(answer.length, `${from} ${to}`).toBeGreaterThan(0);
    }
    // Another purchase type (a settings change) is answered from the same rows.
    for (const [, from, to] of ranges) await bothWays(scope, 'order', from, to);

    // Late events in a day and hours already rolled up: read raw until the job has run.
    const late = purchases(80, firstDay + DAY + 3 * HOUR, 2 * HOUR, 2);
    await ingest(scope, late);
    for (const [, from, to] of ranges) await bothWays(scope, 'purchase', from, to);
    await recomputeEventRollups(db);
    for (const [, from, to] of ranges) await bothWays(scope, 'purchase', from, to);

    // The rolled-up days really are read from the rollups: raw rows removed without a mark
    // (as retention does) still count there, while the raw scan no longer sees them.
    const whole = { from: new Date(firstDay), to: new Date(today + DAY) };
    const filter = { purchaseType: 'purchase', revenue: revenueExpression('default'), ...whole };
    const before = await topSegmentsFromRollups(scope, filter, 10);
    await scope
      .deleteFrom('events')
      .where('timestamp', '>=', new Date(firstDay + DAY))
      .where('timestamp', '<', new Date(firstDay + 2 * DAY))
      .execute();
    expect(await topSegmentsFromRollups(scope, filter, 10)).toEqual(before);
    expect(await topSegmentsFromEvents(scope, filter, undefined, 10)).not.toEqual(before);
  }, 60_000);

  it('keeps day rows equal to their hours when several runs roll up one day at once', async () => {
    const { db } = state.database ?? {};
    if (!db) throw new Error('database not open');
    const workspace = await db
      .insertInto('workspaces')
      .values({ name: 'concurrent' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const scope = scopeTo(db, workspace.id);
    await ingest(scope, purchases(150, firstDay + 2 * DAY, DAY, 3));
    // A few marks per transaction: the runs split the day's hours between them.
    await Promise.all(
      [1, 2, 3].map(() => recomputeEventRollups(db, { batchSize: 8, maxBatches: 1_000 })),
    );
    const sums = (resolution: '1h' | '1d') =>
      scope
        .selectFrom('commerce_rollups')
        .select(['type', 'product_id', 'currency'])
        .select((eb) => [
          eb.fn.sum<string>('count').as('count'),
          eb.fn.sum<string>('revenue').as('revenue'),
        ])
        .where('resolution', '=', resolution)
        .groupBy(['type', 'product_id', 'currency'])
        .orderBy('type')
        .orderBy('product_id')
        .orderBy('currency')
        .execute();
    const days = await sums('1d');
    expect(days.length).toBeGreaterThan(0);
    expect(
      days.map((row) => ({ ...row, count: Number(row.count), revenue: Number(row.revenue) })),
    ).toEqual(
      (await sums('1h')).map((row) => ({
        ...row,
        count: Number(row.count),
        revenue: Number(row.revenue),
      })),
    );
    const filter = {
      purchaseType: 'purchase',
      revenue: revenueExpression('default'),
      from: new Date(firstDay),
      to: new Date(today + DAY),
    };
    expect(await topSegmentsFromRollups(scope, filter, 10)).toEqual(
      await topSegmentsFromEvents(scope, filter, undefined, 10),
    );
  }, 60_000);
});
