import { recomputeEventRollups, recomputeMetricRollups } from '@pulse/api';
import { createPulseClient } from '@pulse/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Account, registerOwner } from './accounts.js';
import { ingest } from './analytics.sql.support.js';
import { rest, useTestServer } from './harness.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
// Two whole hours back, so every bucket is in the past and the hour is closed.
const HOUR_START = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
/** How rollup rows render a bucket (jsonb, UTC). */
const bucket = (ms: number) => iso(ms).replace('.000Z', '+00:00');

interface RollupRow {
  resolution: string;
  bucket: string;
  type: string;
  count: number;
  users: number;
  revenue: number;
}

/** The rows without updated_at, in a fixed order, for exact comparison. */
function summary(rows: Array<RollupRow & { updated_at: string }>) {
  return rows
    .map(({ updated_at: _updated, ...row }) => row)
    .sort((a, b) =>
      `${a.resolution}${a.bucket}${a.type}`.localeCompare(`${b.resolution}${b.bucket}${b.type}`),
    );
}

describe('history: the rollup tables as they were', () => {
  const server = useTestServer();
  let owner: Account;
  let stranger: Account;
  let versions: Array<{ version: number; recordedAt: string }>;

  const get = (path: string, account: Account = owner) =>
    rest(server, 'GET', path, { token: account.accessToken });

  beforeAll(async () => {
    owner = await registerOwner(server, 'history');
    stranger = await registerOwner(server, 'stranger');
    const db = server.app.pulse.database.db;
    // Minute M: two views (u1, u2) and a purchase of 10 by u1.
    await ingest(server, owner, [
      { id: 'v1', type: 'page_view', userId: 'u1', at: iso(HOUR_START + 5 * MINUTE) },
      { id: 'v2', type: 'page_view', userId: 'u2', at: iso(HOUR_START + 5 * MINUTE + 1000) },
      { id: 'p1', type: 'purchase', userId: 'u1', price: 10, at: iso(HOUR_START + 5 * MINUTE) },
    ]);
    await recomputeEventRollups(db);
    // A late purchase of 5 by u2 in minute M+1 of the same hour, rolled up again.
    await ingest(server, owner, [
      { id: 'p2', type: 'purchase', userId: 'u2', price: 5, at: iso(HOUR_START + 6 * MINUTE) },
    ]);
    await recomputeEventRollups(db);
    const listed = await get('/history/event_rollups');
    versions = listed.body.items;
  });

  const M = HOUR_START + 5 * MINUTE;
  const VERSION_1 = [
    {
      resolution: '1h',
      bucket: bucket(HOUR_START),
      type: 'page_view',
      count: 2,
      users: 2,
      revenue: 0,
    },
    {
      resolution: '1h',
      bucket: bucket(HOUR_START),
      type: 'purchase',
      count: 1,
      users: 1,
      revenue: 10,
    },
    { resolution: '1m', bucket: bucket(M), type: 'page_view', count: 2, users: 2, revenue: 0 },
    { resolution: '1m', bucket: bucket(M), type: 'purchase', count: 1, users: 1, revenue: 10 },
  ];
  // The hour's purchases now count 2 by 2 users for 10 + 5; minute M+1 has its own row.
  const VERSION_2 = [
    VERSION_1[0],
    {
      resolution: '1h',
      bucket: bucket(HOUR_START),
      type: 'purchase',
      count: 2,
      users: 2,
      revenue: 15,
    },
    VERSION_1[2],
    VERSION_1[3],
    {
      resolution: '1m',
      bucket: bucket(M + MINUTE),
      type: 'purchase',
      count: 1,
      users: 1,
      revenue: 5,
    },
  ];

  it('lists one version per rollup run, newest first, with what changed', () => {
    expect(versions).toEqual([
      // Minute M+1 inserted; both hour rows rewritten.
      {
        version: 2,
        recordedAt: expect.any(String),
        operation: 'insert+update',
        rowsAffected: 3,
        rowsInserted: 1,
        rowsUpdated: 2,
        rowsDeleted: 0,
      },
      {
        version: 1,
        recordedAt: expect.any(String),
        operation: 'insert',
        rowsAffected: 4,
        rowsInserted: 4,
        rowsUpdated: 0,
        rowsDeleted: 0,
      },
    ]);
  });

  it('reads each version exactly, by number and by instant', async () => {
    const one = await get('/history/event_rollups/data?version=1');
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body.version.version).toBe(1);
    expect(summary(one.body.rows)).toEqual(VERSION_1);
    const two = await get('/history/event_rollups/data?version=2');
    expect(summary(two.body.rows)).toEqual(VERSION_2);
    const newest = await get('/history/event_rollups/data');
    expect(newest.body.version.version).toBe(2);

    const [second, first] = versions as [(typeof versions)[number], (typeof versions)[number]];
    // An instant between the two runs reads the first; the second's own instant reads it.
    const between = await get(
      `/history/event_rollups/data?asOf=${encodeURIComponent(first.recordedAt)}`,
    );
    expect(between.body.version.version).toBe(1);
    expect(summary(between.body.rows)).toEqual(VERSION_1);
    const atSecond = await get(
      `/history/event_rollups/data?asOf=${encodeURIComponent(second.recordedAt)}`,
    );
    expect(atSecond.body.version.version).toBe(2);
    const before = await get(
      `/history/event_rollups/data?asOf=${encodeURIComponent(iso(Date.parse(first.recordedAt) - 1))}`,
    );
    expect(before.status).toBe(404);
    expect(before.body.data.issues[0].path).toBe('asOf');
  });

  it('pages through a version by row key', async () => {
    const whole = await get('/history/event_rollups/data?version=2&limit=100');
    const pages: unknown[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await get(`/history/event_rollups/data?version=2&limit=2${query}`);
      expect(page.body.rows.length).toBeLessThanOrEqual(2);
      pages.push(...page.body.rows);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual(whole.body.rows);
    expect(pages).toHaveLength(5);
  });

  it('refuses unknown tables, versions and cursors by field', async () => {
    const unknown = await get('/history/users');
    expect(unknown.status).toBe(400);
    expect(unknown.body.data.issues[0].path).toBe('table');
    const missing = await get('/history/event_rollups/data?version=99');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/version 99 of event_rollups not found/);
    const both = await get(
      `/history/event_rollups/data?version=1&asOf=${encodeURIComponent(iso(Date.now()))}`,
    );
    expect(both.status).toBe(400);
    const cursor = await get('/history/event_rollups/data?cursor=bm9wZQ');
    expect(cursor.status).toBe(400);
    expect(cursor.body.data.issues[0].path).toBe('cursor');
  });

  it('shows another workspace nothing', async () => {
    const listed = await get('/history/event_rollups', stranger);
    expect(listed.body.items).toEqual([]);
    const data = await get('/history/event_rollups/data?version=1', stranger);
    expect(data.status).toBe(404);
    const metrics = await get('/history/metric_rollups');
    expect(metrics.body.items).toEqual([]);
  });

  it('versions metric rollups too', async () => {
    const account = await registerOwner(server, 'metrics-history');
    const at = iso(HOUR_START + 10 * MINUTE);
    const recorded = await rest(server, 'POST', '/metrics', {
      token: account.accessToken,
      body: {
        points: [
          { name: 'cpu', value: 1, tags: { host: 'a' }, timestamp: at },
          { name: 'cpu', value: 3, tags: { host: 'a' }, timestamp: at },
        ],
      },
    });
    expect(recorded.status).toBe(200);
    await recomputeMetricRollups(server.app.pulse.database.db);
    const listed = await get('/history/metric_rollups', account);
    expect(listed.body.items).toMatchObject([{ version: 1, operation: 'insert', rowsInserted: 2 }]);
    const data = await get('/history/metric_rollups/data?version=1', account);
    // The minute and its hour: two points of cpu{host=a}, 1 + 3.
    expect(
      data.body.rows.map((r: Record<string, unknown>) => [
        r.resolution,
        r.name,
        r.tags,
        r.count,
        r.sum,
        r.min,
        r.max,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['1m', 'cpu', { host: 'a' }, 2, 4, 1, 3],
        ['1h', 'cpu', { host: 'a' }, 2, 4, 1, 3],
      ]),
    );
    expect(data.body.rows).toHaveLength(2);
  });

  it('works through the SDK', async () => {
    const client = createPulseClient({ url: server.url, accessToken: owner.accessToken });
    const listed = await client.api.history.versions.query({ table: 'event_rollups', limit: 1 });
    expect(listed.items.map((v) => v.version)).toEqual([2]);
    const older = await client.api.history.versions.query({
      table: 'event_rollups',
      limit: 1,
      cursor: listed.nextCursor ?? undefined,
    });
    expect(older.items.map((v) => v.version)).toEqual([1]);
    expect(older.nextCursor).toBeNull();
    const at = await client.api.history.at.query({ table: 'event_rollups', version: 1 });
    expect(summary(at.rows as never)).toEqual(VERSION_1);
    await client.close();
  });
});
