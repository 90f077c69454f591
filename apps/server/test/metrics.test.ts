import {
  appRouter,
  createCallerFactory,
  createContextFactory,
  latestMetricCacheKey,
  recomputeMetricRollups,
} from '@pulse/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Account, createApiKey, registerOwner } from './accounts.js';
import { rest, uniqueEmail, useTestServer } from './harness.js';

interface Session {
  accessToken: string;
  workspace: { id: string };
}

interface Point {
  name: string;
  value: number;
  tags?: Record<string, string>;
  timestamp?: string;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
// Everything is stamped in whole hours before the current one, so nothing lands in the future.
const HOUR_START = Math.floor(Date.now() / HOUR) * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const FNS = ['count', 'sum', 'avg', 'min', 'max', 'p50', 'p95', 'p99'] as const;
type Fn = (typeof FNS)[number];
const QUANTILE: Record<string, number> = { p50: 0.5, p95: 0.95, p99: 0.99 };

function query(params: Record<string, string | number | string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  return `?${search}`;
}

/** PostgreSQL's percentile_cont, to compute expectations by hand. */
function percentileCont(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const low = Math.floor(rank);
  const lowValue = sorted[low] as number;
  return lowValue + (rank - low) * ((sorted[Math.ceil(rank)] as number) - lowValue);
}

function expected(values: number[], fn: Fn): number {
  const sum = values.reduce((a, b) => a + b, 0);
  switch (fn) {
    case 'count':
      return values.length;
    case 'sum':
      return sum;
    case 'avg':
      return sum / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    default:
      return percentileCont(values, QUANTILE[fn] as number);
  }
}

/** By-hand series: the points in [from, to) bucketed from the epoch, empty buckets left out. */
function referenceSeries(
  points: { at: number; value: number }[],
  from: number,
  to: number,
  intervalMs: number,
  fn: Fn,
) {
  const buckets = new Map<number, number[]>();
  for (const point of points) {
    if (point.at < from || point.at >= to) continue;
    const bucket = Math.floor(point.at / intervalMs) * intervalMs;
    buckets.set(bucket, [...(buckets.get(bucket) ?? []), point.value]);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([bucket, values]) => ({ bucket: iso(bucket), value: expected(values, fn) }));
}

function expectAgreement(
  actual: { bucket: string; value: number }[],
  reference: { bucket: string; value: number }[],
  fn: Fn,
) {
  expect(actual.map((p) => p.bucket)).toEqual(reference.map((p) => p.bucket));
  actual.forEach((point, index) => {
    const want = reference[index]?.value as number;
    if (fn in QUANTILE) {
      expect(Math.abs(point.value - want), `${fn} at ${point.bucket}`).toBeLessThanOrEqual(
        Math.abs(want) * 0.01 + 1e-9,
      );
    } else {
      expect(point.value, `${fn} at ${point.bucket}`).toBe(want);
    }
  });
}

describe('metrics', () => {
  // Rollups are recomputed by hand here; a background job would take the dirty marks first.
  const server = useTestServer({ PULSE_WORKERS: 'false' });
  let owner: Account;
  let ingestKey: string;
  let readKey: string;

  beforeAll(async () => {
    owner = await registerOwner(server, 'metrics');
    ingestKey = await createApiKey(server, owner, 'ingest');
    readKey = await createApiKey(server, owner, 'read');
  });

  const record = (body: unknown, token = ingestKey) =>
    rest(server, 'POST', '/metrics', { token, body });
  const recordAll = async (points: Point[]) => {
    for (let i = 0; i < points.length; i += 1000) {
      const response = await record({ points: points.slice(i, i + 1000) });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    }
  };
  const aggregate = async (name: string, params: Record<string, string | string[] | undefined>) => {
    const response = await rest(server, 'GET', `/metrics/aggregate/${name}${query(params)}`, {
      token: readKey,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };
  const recompute = () => recomputeMetricRollups(server.app.pulse.database.db, {});
  const rollupRows = (name: string, resolution: '1m' | '1h') =>
    server.app.pulse.database.db
      .selectFrom('metric_rollups')
      .select(['bucket', 'count', 'sum', 'min', 'max', 'tags'])
      .where('workspace_id', '=', owner.workspaceId)
      .where('name', '=', name)
      .where('resolution', '=', resolution)
      .orderBy('bucket')
      .execute();

  it('records one point as {id, accepted: 1} and reads it back by id', async () => {
    const response = await record({ name: 'cpu.load', value: 0.75, tags: { host: 'web-1' } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({ id: expect.stringMatching(/^\d+$/), accepted: 1 });
    const stored = await rest(server, 'GET', `/metrics/${response.body.id}`, { token: readKey });
    expect(stored.body).toMatchObject({
      id: response.body.id,
      name: 'cpu.load',
      value: 0.75,
      tags: { host: 'web-1' },
    });
    expect(Math.abs(Date.parse(stored.body.timestamp) - Date.now())).toBeLessThan(60_000);
  });

  it('records a batch through POST /metrics {points}, /metrics/batch and the tRPC caller', async () => {
    const at = iso(HOUR_START - 50 * MINUTE);
    const points = [0, 1, 2].map((i) => ({ name: 'batch.a', value: i, timestamp: at }));
    expect((await record({ points })).body).toEqual({ accepted: 3 });
    const viaBatch = await rest(server, 'POST', '/metrics/batch', {
      token: ingestKey,
      body: { points },
    });
    expect(viaBatch.body).toEqual({ accepted: 3 });

    const pulse = server.app.pulse;
    const makeContext = createContextFactory({
      config: pulse.config.api,
      database: pulse.database,
      infra: pulse.infra,
      tokens: pulse.tokens,
      version: 'test',
      startedAt: new Date(),
    });
    const caller = createCallerFactory(appRouter)(
      makeContext({ requestId: 'metrics-test', ip: '127.0.0.1', bearerToken: owner.accessToken }),
    );
    expect(await caller.metrics.recordBatch({ points })).toEqual({ accepted: 3 });
    expect(
      (await caller.metrics.record({ name: 'batch.a', value: 5, timestamp: at })).accepted,
    ).toBe(1);
    const counted = await caller.metrics.aggregate({
      name: 'batch.a',
      fn: 'count',
      interval: '1h',
      from: iso(HOUR_START - HOUR),
      to: iso(HOUR_START),
    });
    expect(counted.series).toEqual([{ bucket: iso(HOUR_START - HOUR), value: 10 }]);
  });

  it('refuses bad input by field and by point index, storing nothing', async () => {
    const bad = await record({
      points: [
        { name: 'bad.batch', value: 1 },
        { name: 'has space', value: 1 },
        { name: 'bad.batch', value: '3' },
        { name: 'bad.batch', value: 1, tags: { host: 1 } },
        { name: 'bad.batch', value: 1, extra: true },
        { name: 'bad.batch', value: 1, timestamp: 'yesterday' },
      ],
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.data.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'points.1.name',
        'points.2.value',
        'points.3.tags.host',
        'points.4.extra',
        'points.5.timestamp',
      ]),
    );
    expect(paths.some((p: string) => p.startsWith('points.0'))).toBe(false);
    const future = await record({
      points: [
        { name: 'bad.batch', value: 1 },
        { name: 'bad.batch', value: 1, timestamp: iso(Date.now() + 48 * HOUR) },
      ],
    });
    expect(future.status).toBe(400);
    expect(future.body.data.issues).toEqual([
      { path: 'points.1.timestamp', message: expect.any(String) },
    ]);
    const listed = await rest(server, 'GET', '/metrics?name=bad.batch', { token: readKey });
    expect(listed.body.items).toEqual([]);

    const pathsOf = async (body: unknown) =>
      (await record(body)).body.data.issues.map((i: { path: string }) => i.path);
    expect(await pathsOf({ name: 'x' })).toEqual(['value']);
    // Not coerced: null, '' and true are not numbers.
    for (const value of [null, '', true, '7']) {
      expect(await pathsOf({ name: 'x', value }), JSON.stringify(value)).toEqual(['value']);
    }
    expect(await pathsOf({ name: 'x', value: 1, points: [{ name: 'x', value: 1 }] })).toEqual([
      'name',
      'value',
    ]);
    const manyTags = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`t${i}`, 'v']));
    expect(await pathsOf({ name: 'x', value: 1, tags: manyTags })).toEqual(['tags']);
    expect(await pathsOf({ name: 'x'.repeat(201), value: 1 })).toEqual(['name']);
    expect(await pathsOf({ points: [] })).toEqual(['points']);
    const tooMany = Array.from({ length: 1001 }, () => ({ name: 'x', value: 1 }));
    expect(await pathsOf({ points: tooMany })).toEqual(['points']);
  });

  it('lists newest first with stable cursor pages and filters; get answers 404 for unknown ids', async () => {
    const base = HOUR_START - 2 * HOUR;
    const points: Point[] = [0, 1, 2, 3, 4, 5, 6].map((i) => ({
      name: 'list.metric',
      value: i,
      tags: { host: i % 2 === 0 ? 'a' : 'b' },
      // Two pairs share a timestamp: the id must order them.
      timestamp: iso(base + Math.floor(i / 2) * MINUTE),
    }));
    await recordAll(points);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof rest>> = await rest(
        server,
        'GET',
        `/metrics${query({ name: 'list.metric', limit: 3, cursor: cursor ?? undefined })}`,
        { token: readKey },
      );
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      seen.push(...page.body.items.map((p: { value: number }) => p.value));
      cursor = page.body.nextCursor;
    } while (cursor);
    // Same timestamp: the later-stored (higher id) point first.
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0]);

    const filtered = await rest(
      server,
      'GET',
      `/metrics${query({ name: 'list.metric', tag: 'host=a', from: iso(base + MINUTE), to: iso(base + 3 * MINUTE) })}`,
      { token: readKey },
    );
    expect(filtered.body.items.map((p: { value: number }) => p.value)).toEqual([4, 2]);
    const twoTags = await rest(
      server,
      'GET',
      `/metrics${query({ name: 'list.metric', tag: ['host=a', 'host=b'] })}`,
      { token: readKey },
    );
    expect(twoTags.status).toBe(400);

    expect(
      (await rest(server, 'GET', '/metrics/999999999999', { token: readKey })).body,
    ).toMatchObject({ data: { issues: [{ path: 'id' }] } });
    const notAnId = await rest(server, 'GET', '/metrics/abc', { token: readKey });
    expect(notAnId.status).toBe(400);
    expect(notAnId.body.data.issues[0].path).toBe('id');
    const badCursor = await rest(server, 'GET', '/metrics?cursor=nonsense', { token: readKey });
    expect(badCursor.status).toBe(400);
  });

  describe('aggregate', () => {
    const base = HOUR_START - 3 * HOUR;
    // minute 0: host a 1 2 3 4, host b 10 20 — minute 1: host a 5, host b 30 40 50
    const data: [minute: number, host: string, region: string, value: number][] = [
      [0, 'a', 'eu', 1],
      [0, 'a', 'us', 2],
      [0, 'a', 'eu', 3],
      [0, 'a', 'us', 4],
      [0, 'b', 'eu', 10],
      [0, 'b', 'us', 20],
      [1, 'a', 'eu', 5],
      [1, 'b', 'eu', 30],
      [1, 'b', 'us', 40],
      [1, 'b', 'eu', 50],
    ];
    const m0 = iso(base);
    const m1 = iso(base + MINUTE);
    const range = { from: iso(base), to: iso(base + 2 * MINUTE) };

    beforeAll(async () => {
      await recordAll(
        data.map(([minute, host, region, value], i) => ({
          name: 'agg.latency',
          value,
          tags: { host, region },
          timestamp: iso(base + minute * MINUTE + i * 1000),
        })),
      );
    });

    it.each([
      ['count', [6, 4]],
      ['sum', [40, 125]],
      ['avg', [40 / 6, 31.25]],
      ['min', [1, 5]],
      ['max', [20, 50]],
      ['p50', [3.5, 35]],
      ['p95', [17.5, 48.5]],
      ['p99', [19.5, 49.7]],
    ] as const)('%s per minute', async (fn, [first, second]) => {
      const body = await aggregate('agg.latency', { ...range, interval: '1m', fn });
      expect(body).toMatchObject({ name: 'agg.latency', fn, interval: '1m', resolution: 'raw' });
      expect(body.series).toHaveLength(2);
      expect(body.series[0].bucket).toBe(m0);
      expect(body.series[0].value).toBeCloseTo(first, 9);
      expect(body.series[1].bucket).toBe(m1);
      expect(body.series[1].value).toBeCloseTo(second, 9);
    });

    it('groups by a tag and filters by tags', async () => {
      const sums = await aggregate('agg.latency', { ...range, fn: 'sum', groupBy: 'host' });
      expect(sums.series).toEqual([
        { bucket: m0, group: 'a', value: 10 },
        { bucket: m0, group: 'b', value: 30 },
        { bucket: m1, group: 'a', value: 5 },
        { bucket: m1, group: 'b', value: 120 },
      ]);
      const medians = await aggregate('agg.latency', { ...range, fn: 'p50', groupBy: 'host' });
      expect(medians.series.map((p: { value: number }) => p.value)).toEqual([2.5, 15, 5, 40]);
      const euMax = await aggregate('agg.latency', {
        ...range,
        fn: 'max',
        tags: ['host=b', 'region=eu'],
      });
      expect(euMax.series).toEqual([
        { bucket: m0, value: 10 },
        { bucket: m1, value: 50 },
      ]);
      const byRegion = await aggregate('agg.latency', {
        ...range,
        interval: '2m',
        fn: 'count',
        groupBy: 'region',
        tags: ['host=a'],
      });
      expect(byRegion.series).toEqual([
        { bucket: m0, group: 'eu', value: 3 },
        { bucket: m0, group: 'us', value: 2 },
      ]);
      const missingTag = await aggregate('agg.latency', { ...range, fn: 'count', groupBy: 'dc' });
      expect(missingTag.series).toEqual([
        { bucket: m0, group: null, value: 6 },
        { bucket: m1, group: null, value: 4 },
      ]);
    });

    it('omits empty buckets and aligns buckets to the epoch', async () => {
      const wide = await aggregate('agg.latency', {
        from: iso(base - 7 * MINUTE),
        to: iso(base + 9 * MINUTE),
        interval: '7m',
        fn: 'count',
      });
      const aligned = Math.floor(base / (7 * MINUTE)) * 7 * MINUTE;
      const spill = base + MINUTE >= aligned + 7 * MINUTE;
      expect(wide.series).toEqual(
        spill
          ? [
              { bucket: iso(aligned), value: 6 },
              { bucket: iso(aligned + 7 * MINUTE), value: 4 },
            ]
          : [{ bucket: iso(aligned), value: 10 }],
      );
      expect((await aggregate('no.such.metric', range)).series).toEqual([]);
    });

    it('refuses bad ranges, intervals and functions, naming the field', async () => {
      const issuePath = async (params: Record<string, string>) => {
        const response = await rest(
          server,
          'GET',
          `/metrics/aggregate/agg.latency${query(params)}`,
          { token: readKey },
        );
        expect(response.status).toBe(400);
        return response.body.data.issues[0].path;
      };
      expect(
        await issuePath({ from: iso(base - 2 * 86_400_000), to: iso(base), interval: '1s' }),
      ).toBe('interval');
      expect(await issuePath({ interval: '5x' })).toBe('interval');
      expect(await issuePath({ interval: '0m' })).toBe('interval');
      expect(await issuePath({ interval: '99999d' })).toBe('interval');
      expect(await issuePath({ from: range.to, to: range.from })).toBe('from');
      expect(await issuePath({ fn: 'p42' })).toBe('fn');
      expect(await issuePath({ tags: 'host' })).toBe('tags.0');
    });
  });

  describe('rollups', () => {
    const base = HOUR_START - 8 * HOUR;
    const span = 7 * HOUR;

    /** Non-negative values in eighths (sums are exact in binary), some of them zero. */
    const positives = Array.from({ length: 2_000 }, (_, i) => ({
      at: base + Math.floor((i * span) / 2_000),
      value: ((i * 7_919) % 4_001) / 8,
      host: ['a', 'b', 'c'][i % 3] as string,
    }));
    const negatives = Array.from({ length: 600 }, (_, i) => ({
      at: base + Math.floor((i * span) / 600),
      value: -(((i * 104_729) % 3_000) + 1) / 4,
      host: 'a',
    }));

    beforeAll(async () => {
      const toPoints = (name: string, rows: typeof positives) =>
        rows.map((row) => ({
          name,
          value: row.value,
          tags: { host: row.host },
          timestamp: iso(row.at),
        }));
      await recordAll(toPoints('agree.pos', positives));
      await recordAll(toPoints('agree.neg', negatives));
    });

    it('answers from raw points wherever minutes are not rolled up yet', async () => {
      const body = await aggregate('agree.pos', {
        from: iso(base),
        to: iso(base + span),
        interval: '1h',
        fn: 'count',
      });
      expect(body.resolution).toBe('1h');
      expectAgreement(
        body.series,
        referenceSeries(positives, base, base + span, HOUR, 'count'),
        'count',
      );
    });

    it('agrees with raw points once rolled up: exactly for count/sum/avg/min/max, within 1% for percentiles', async () => {
      await recompute();
      expect((await rollupRows('agree.pos', '1h')).length).toBe(7 * 3);
      for (const [name, rows] of [
        ['agree.pos', positives],
        ['agree.neg', negatives],
      ] as const) {
        // Unaligned edges: the partial minutes and hours at both ends come from raw points.
        const from = base + 90_000;
        const to = base + span - 30_000;
        for (const fn of FNS) {
          const hourly = await aggregate(name, {
            from: iso(from),
            to: iso(to),
            interval: '1h',
            fn,
          });
          expect(hourly.resolution).toBe('1h');
          expectAgreement(hourly.series, referenceSeries(rows, from, to, HOUR, fn), fn);
          const minutely = await aggregate(name, {
            from: iso(from),
            to: iso(to),
            interval: '1m',
            fn,
          });
          expect(minutely.resolution).toBe('1m');
          expectAgreement(minutely.series, referenceSeries(rows, from, to, MINUTE, fn), fn);
        }
      }
      // The raw path itself (30 minutes: below the rollup threshold) gives the same answers.
      for (const fn of FNS) {
        const from = base + HOUR;
        const raw = await aggregate('agree.pos', {
          from: iso(from),
          to: iso(from + 30 * MINUTE),
          interval: '1m',
          fn,
        });
        expect(raw.resolution).toBe('raw');
        expectAgreement(
          raw.series,
          referenceSeries(positives, from, from + 30 * MINUTE, MINUTE, fn),
          fn,
        );
      }
    });

    it('groups rollup answers by tag like raw ones', async () => {
      const body = await aggregate('agree.pos', {
        from: iso(base),
        to: iso(base + span),
        interval: '1h',
        fn: 'sum',
        groupBy: 'host',
      });
      for (const host of ['a', 'b', 'c']) {
        const mine = body.series.filter((p: { group: string }) => p.group === host);
        const rows = positives.filter((p) => p.host === host);
        expectAgreement(mine, referenceSeries(rows, base, base + span, HOUR, 'sum'), 'sum');
      }
    });

    it('re-rolls the bucket a late point falls in, and never counts twice', async () => {
      const minute = base + 30 * MINUTE;
      await recordAll([
        { name: 'late.metric', value: 1, timestamp: iso(minute + 1_000) },
        { name: 'late.metric', value: 2, timestamp: iso(minute + 2_000) },
      ]);
      await recompute();
      const summary = (rows: Awaited<ReturnType<typeof rollupRows>>) =>
        rows.map((r) => ({ bucket: r.bucket.toISOString(), count: Number(r.count), sum: r.sum }));
      expect(summary(await rollupRows('late.metric', '1m'))).toEqual([
        { bucket: iso(minute), count: 2, sum: 3 },
      ]);
      await recordAll([{ name: 'late.metric', value: 10, timestamp: iso(minute + 30_000) }]);
      // Before the job runs, the dirty minute is answered from raw points.
      const pending = await aggregate('late.metric', {
        from: iso(base),
        to: iso(base + 2 * HOUR),
        interval: '1h',
        fn: 'sum',
      });
      expect(pending.series).toEqual([{ bucket: iso(base), value: 13 }]);
      await recompute();
      const afterLate = [{ bucket: iso(minute), count: 3, sum: 13 }];
      expect(summary(await rollupRows('late.metric', '1m'))).toEqual(afterLate);
      expect(summary(await rollupRows('late.metric', '1h'))).toEqual([
        { bucket: iso(base), count: 3, sum: 13 },
      ]);

      // A second run, and a repeated mark (a retried ingest or a crashed run), change nothing.
      expect(await recompute()).toEqual({ buckets: 0 });
      const db = server.app.pulse.database.db;
      await db
        .insertInto('rollup_dirty')
        .values(
          [0, 1].map(() => ({
            workspace_id: owner.workspaceId,
            source: 'metrics' as const,
            bucket: iso(minute),
          })),
        )
        .execute();
      expect(await recompute()).toEqual({ buckets: 1 });
      expect(summary(await rollupRows('late.metric', '1m'))).toEqual(afterLate);
      expect(summary(await rollupRows('late.metric', '1h'))).toEqual([
        { bucket: iso(base), count: 3, sum: 13 },
      ]);
      const marks = await db
        .selectFrom('rollup_dirty')
        .select(db.fn.countAll().as('n'))
        .where('source', '=', 'metrics')
        .executeTakeFirstOrThrow();
      expect(Number(marks.n)).toBe(0);
    });

    it('lets concurrent runs share the marks without losing or double counting a minute', async () => {
      const start = base + 3 * HOUR;
      const points = Array.from({ length: 240 }, (_, i) => ({
        at: start + i * 30_000 + 5_000,
        value: i,
        host: 'a',
      }));
      await recordAll(
        points.map((p) => ({ name: 'shared.work', value: p.value, timestamp: iso(p.at) })),
      );
      const db = server.app.pulse.database.db;
      const runs = await Promise.all(
        [0, 1, 2].map(() => recomputeMetricRollups(db, { batchSize: 7 })),
      );
      expect(runs.reduce((sum, run) => sum + run.buckets, 0)).toBe(120);
      const hours = (await rollupRows('shared.work', '1h')).map((r) => ({
        bucket: r.bucket.toISOString(),
        count: Number(r.count),
        sum: r.sum,
      }));
      const reference = (fn: Fn) => referenceSeries(points, start, start + 2 * HOUR, HOUR, fn);
      expect(hours).toEqual(
        reference('count').map((c, i) => ({
          bucket: c.bucket,
          count: c.value,
          sum: reference('sum')[i]?.value,
        })),
      );
    });
  });

  describe('latest', () => {
    const latest = (name: string, tags?: string[]) =>
      rest(server, 'GET', `/metrics/latest/${name}${query({ tags })}`, { token: readKey });

    it('fills the cache from the database, keeps it fresh on write, and ignores late points', async () => {
      const t = HOUR_START - 10 * MINUTE;
      await recordAll([{ name: 'temp.c', value: 20, tags: { room: 'a' }, timestamp: iso(t) }]);
      const first = await latest('temp.c');
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body).toMatchObject({ name: 'temp.c', value: 20, source: 'database' });
      expect((await latest('temp.c')).body).toMatchObject({ value: 20, source: 'cache' });

      await recordAll([
        { name: 'temp.c', value: 21, tags: { room: 'b' }, timestamp: iso(t + MINUTE) },
      ]);
      expect((await latest('temp.c')).body).toMatchObject({
        value: 21,
        tags: { room: 'b' },
        timestamp: iso(t + MINUTE),
        source: 'cache',
      });
      await recordAll([
        { name: 'temp.c', value: 5, tags: { room: 'a' }, timestamp: iso(t - HOUR) },
      ]);
      expect((await latest('temp.c')).body).toMatchObject({ value: 21, source: 'cache' });

      await server.app.pulse.infra.cache.delete(latestMetricCacheKey(owner.workspaceId, 'temp.c'));
      expect((await latest('temp.c')).body).toMatchObject({ value: 21, source: 'database' });
      expect((await latest('temp.c')).body).toMatchObject({ value: 21, source: 'cache' });
    });

    it('filters by tags (from the cache only when the cached point matches) and 404s unknown names', async () => {
      expect((await latest('temp.c', ['room=b'])).body).toMatchObject({
        value: 21,
        source: 'cache',
      });
      expect((await latest('temp.c', ['room=a'])).body).toMatchObject({
        value: 20,
        source: 'database',
      });
      const none = await latest('temp.c', ['room=z']);
      expect(none.status).toBe(404);
      expect(none.body.data.issues[0].path).toBe('tags');
      const unknown = await latest('no.such.metric');
      expect(unknown.status).toBe(404);
      expect(unknown.body.data.issues[0].path).toBe('name');
    });
  });

  it('hands stored points to the live metrics feed (SSE)', async () => {
    const abort = new AbortController();
    const response = await fetch(`${server.url}/api/v1/stream/metrics?names=live.metric`, {
      headers: { authorization: `Bearer ${readKey}`, accept: 'text/event-stream' },
      signal: abort.signal,
    });
    expect(response.status).toBe(200);
    if (!response.body) throw new Error('no SSE body');
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const sent = new Set<string>();
    let text = '';
    let received: { id: string; name: string; value: number; tags: object }[] = [];
    // The subscription starts asynchronously: keep recording until one arrives.
    const deadline = Date.now() + 10_000;
    let pending = reader.read();
    try {
      while (received.length === 0 && Date.now() < deadline) {
        const stored = await record({ name: 'live.metric', value: 42, tags: { via: 'sse' } });
        sent.add(stored.body.id);
        const chunk = await Promise.race([
          pending,
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 200)),
        ]);
        if (!chunk) continue;
        if (chunk.done) break;
        pending = reader.read();
        text += decoder.decode(chunk.value, { stream: true });
        received = text
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => JSON.parse(line.slice(5)))
          .filter((message) => message.kind === 'metrics')
          .flatMap((message) => message.points);
      }
    } finally {
      pending.catch(() => undefined);
      abort.abort();
    }
    expect(received.length).toBeGreaterThan(0);
    for (const point of received) {
      expect(sent.has(point.id)).toBe(true);
      expect(point).toMatchObject({ name: 'live.metric', value: 42, tags: { via: 'sse' } });
    }
  });

  it('lets a read key read but not write, and an ingest key write but not read', async () => {
    expect((await record({ name: 'scoped', value: 1 }, readKey)).status).toBe(403);
    expect((await record({ name: 'scoped', value: 1 }, ingestKey)).status).toBe(200);
    for (const path of ['/metrics', '/metrics/aggregate/scoped', '/metrics/latest/scoped']) {
      expect((await rest(server, 'GET', path, { token: ingestKey })).status, path).toBe(403);
      expect((await rest(server, 'GET', path, { token: readKey })).status, path).toBe(200);
    }
    expect((await rest(server, 'GET', '/metrics')).status).toBe(401);
  });

  it('keeps workspaces apart: points, ids, aggregates and latest values', async () => {
    const other: Session = (
      await rest(server, 'POST', '/auth/register', {
        body: { email: uniqueEmail('other'), password: 'other-password', name: 'Otto' },
      })
    ).body;
    const mine = await record({ name: 'shared.name', value: 1, timestamp: iso(HOUR_START - HOUR) });
    const theirs = await record(
      { name: 'shared.name', value: 100, timestamp: iso(HOUR_START - HOUR) },
      other.accessToken,
    );
    expect(theirs.status).toBe(200);
    const get = await rest(server, 'GET', `/metrics/${mine.body.id}`, { token: other.accessToken });
    expect(get.status).toBe(404);
    expect(get.body.data.issues[0].path).toBe('id');
    const list = await rest(server, 'GET', '/metrics?limit=200', { token: other.accessToken });
    expect(list.body.items.map((p: { value: number }) => p.value)).toEqual([100]);
    await recompute();
    const params = {
      from: iso(HOUR_START - 8 * HOUR),
      to: iso(HOUR_START),
      interval: '1h',
      fn: 'sum',
    };
    expect((await aggregate('shared.name', params)).series).toEqual([
      { bucket: iso(HOUR_START - HOUR), value: 1 },
    ]);
    const latestOther = await rest(server, 'GET', '/metrics/latest/shared.name', {
      token: other.accessToken,
    });
    expect(latestOther.body.value).toBe(100);
    expect(
      (await rest(server, 'GET', '/metrics/latest/temp.c', { token: other.accessToken })).status,
    ).toBe(404);
  });
});
