import { recomputeEventRollups } from '@pulse/api';
import { createPulseClient } from '@pulse/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Account, createApiKey, join, registerOwner } from './accounts.js';
import { rest, useTestServer } from './harness.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
// Two days back, on an hour boundary: every window asked about is closed and fixed by `at`.
const H = Math.floor(Date.now() / HOUR) * HOUR - 48 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const at = (minutes: number) => iso(H + minutes * MINUTE);

interface EventBody {
  id: string;
  type: string;
  timestamp: string;
  userId?: string;
  anonymousId?: string;
  productId?: string;
  price?: number;
  quantity?: number;
  properties?: Record<string, unknown>;
}

let sequence = 0;
const event = (type: string, minute: number, extra: Partial<EventBody> = {}): EventBody => {
  sequence += 1;
  return { id: `e${sequence}`, type, timestamp: at(minute), ...extra };
};

/**
 * Workspace A, hour windows [H−1h, H), [H, H+1h) ("previous" at H+2h) and [H+1h, H+2h)
 * ("current" at H+2h):
 *   before H:   u6 buys 50                                   → revenue 50
 *   previous:   views u1, u2, a1 (anonymous); u1 buys 10 × 2 → orders 1, gmv 20,
 *               purchaseUsers 1, viewUsers 3, activeUsers 3, conversion 1/3
 *   current:    views u1, u3; u3 cart; u3 buys 5 (quantity null → 1) and 7.5 × 2; u4 buys
 *               100 without a view; a signup with no ids → orders 3, gmv 5 + 15 + 100 = 120,
 *               purchaseUsers 2 (u3, u4), viewUsers 2 (u1, u3), activeUsers 3 (u1, u3, u4),
 *               conversion 2/2 = 1
 *   after H+2h: u5 views (the window is still open at H+2h, so it never counts)
 */
const WORKSPACE_A: EventBody[] = [
  event('purchase', -1, { userId: 'u6', price: 50, quantity: 1, productId: 'p9' }),
  event('page_view', 1, { userId: 'u1' }),
  event('page_view', 2, { userId: 'u2' }),
  event('page_view', 5, { anonymousId: 'a1' }),
  event('purchase', 10, { userId: 'u1', price: 10, quantity: 2, productId: 'p1' }),
  event('page_view', 61, { userId: 'u1' }),
  event('page_view', 62, { userId: 'u3' }),
  event('add_to_cart', 63, { userId: 'u3', productId: 'p1' }),
  event('purchase', 64, { userId: 'u3', price: 5, productId: 'p1' }),
  event('purchase', 65, { userId: 'u3', price: 7.5, quantity: 2, productId: 'p2' }),
  event('purchase', 70, { userId: 'u4', price: 100, quantity: 1, productId: 'p3' }),
  event('signup', 80),
  event('page_view', 121, { userId: 'u5' }),
];

// Workspace B shares user ids and times with A; none of it may ever show up in A's answers.
const WORKSPACE_B: EventBody[] = [
  event('page_view', 61, { userId: 'u1' }),
  event('purchase', 66, { userId: 'u1', price: 1000, quantity: 3 }),
  event('purchase', 67, { userId: 'u9', price: 1, quantity: 1 }),
  event('page_view', 130, { userId: 'u7' }),
];

// biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary JSON bodies.
type Json = any;

describe('commerce analytics', () => {
  const server = useTestServer();
  let owner: Account;
  let readKey: string;
  let otherOwner: Account;

  const ingest = async (key: string, events: EventBody[]) => {
    const response = await rest(server, 'POST', '/events/batch', { token: key, body: { events } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.accepted).toBe(events.length);
  };
  const get = async (path: string, token = readKey) => {
    const response = await rest(server, 'GET', path, { token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as Json;
  };

  beforeAll(async () => {
    owner = await registerOwner(server, 'commerce');
    readKey = await createApiKey(server, owner, 'read');
    await ingest(await createApiKey(server, owner, 'ingest'), WORKSPACE_A);
    otherOwner = await registerOwner(server, 'commerce-b');
    await ingest(await createApiKey(server, otherOwner, 'ingest'), WORKSPACE_B);
  });

  const PREVIOUS = {
    from: at(0),
    to: at(60),
    orders: 1,
    gmv: 20,
    purchaseUsers: 1,
    viewUsers: 3,
    activeUsers: 3,
    conversionRate: 1 / 3,
  };
  const CURRENT = {
    from: at(60),
    to: at(120),
    orders: 3,
    gmv: 120,
    purchaseUsers: 2,
    viewUsers: 2,
    activeUsers: 3,
    conversionRate: 1,
  };

  it('answers KPIs of the last two closed hours over REST, from raw events and rollups', async () => {
    const kpis = await get(`/analytics/kpis?window=1h&at=${encodeURIComponent(at(120))}`);
    expect(kpis).toEqual({
      window: '1h',
      current: CURRENT,
      previous: PREVIOUS,
      recentEvents: { page_view: 2, add_to_cart: 1, purchase: 3, signup: 1 },
      freshness: { lastEventAt: at(121), lagSeconds: expect.any(Number) },
    });
    // The newest event is two days old (B's later event is not A's).
    expect(kpis.freshness.lagSeconds).toBeCloseTo((Date.now() - (H + 121 * MINUTE)) / 1000, -1);

    // Rolled up, the same windows come from event_rollups (1h rows: exact distinct users too).
    // Saving the (default) settings drops the cached answer, so it is computed again.
    await recomputeEventRollups(server.app.pulse.database.db);
    const reset = await rest(server, 'PUT', '/analytics/settings', {
      token: owner.accessToken,
      body: {},
    });
    expect(reset.status).toBe(200);
    const again = await rest(
      server,
      'GET',
      `/analytics/kpis?window=1h&at=${encodeURIComponent(at(150))}`,
      {
        token: readKey,
      },
    );
    expect(again.headers.get('x-cache')).toBe('MISS');
    const rolledUp = again.body;
    expect(rolledUp.window).toBe('1h');
    expect(rolledUp.current).toEqual(CURRENT);
    expect(rolledUp.previous).toEqual(PREVIOUS);
  });

  it('reports a conversion rate of 0 for windows without page views', async () => {
    // 5-minute windows at H+75m: current [H+70m, H+75m) holds only u4's purchase of 100;
    // previous [H+65m, H+70m) only u3's 7.5 × 2.
    const kpis = await get(`/analytics/kpis?window=5m&at=${encodeURIComponent(at(75))}`);
    expect(kpis.current).toEqual({
      from: at(70),
      to: at(75),
      orders: 1,
      gmv: 100,
      purchaseUsers: 1,
      viewUsers: 0,
      activeUsers: 1,
      conversionRate: 0,
    });
    expect(kpis.previous).toMatchObject({ orders: 1, gmv: 15, viewUsers: 0, conversionRate: 0 });
    expect(kpis.recentEvents).toEqual({ purchase: 1 });
  });

  it('serves KPIs through the SDK with the same numbers', async () => {
    const client = createPulseClient({ url: server.url, apiKey: readKey, WebSocket });
    const kpis = await client.api.analytics.kpis.query({ window: '1h', at: at(120) });
    expect(kpis.current).toEqual(CURRENT);
    expect(kpis.previous).toEqual(PREVIOUS);
    const orders = await client.api.analytics.trend.query({
      series: 'orders',
      window: '1h',
      limit: 3,
      at: at(120),
    });
    expect(orders.points.map((p) => p.value)).toEqual([1, 1, 3]);
    const features = await client.api.analytics.userFeatures.query({ userId: 'u4' });
    expect(features).toMatchObject({ frequency: 1, monetary: 100, averageOrderValue: 100 });
    await client.close();

    const admin = createPulseClient({ url: server.url, accessToken: owner.accessToken });
    const settings = await admin.api.analytics.settings.set.mutate({ addToCartType: 'cart' });
    expect(settings).toMatchObject({ addToCartType: 'cart', purchaseType: 'purchase' });
    expect(await admin.api.analytics.settings.get.query()).toEqual(settings);
    await admin.api.analytics.settings.set.mutate({});
    await admin.close();
  });

  it('caches answers (X-Cache) and answers If-None-Match with 304', async () => {
    const path = `/analytics/kpis?window=1d&at=${encodeURIComponent(at(24 * 60))}`;
    const first = await rest(server, 'GET', path, { token: readKey });
    const second = await rest(server, 'GET', path, { token: readKey });
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.headers.get('cache-control')).toBe('private, max-age=300');
    expect(second.body.current).toEqual(first.body.current);
    const etag = second.headers.get('etag') as string;
    const conditional = await rest(server, 'GET', path, {
      token: readKey,
      headers: { 'if-none-match': etag },
    });
    // fetch adds Cache-Control: no-cache to conditional requests; they still get the 304.
    expect(conditional.status).toBe(304);
    const fresh = await rest(server, 'GET', path, {
      token: readKey,
      headers: { 'cache-control': 'no-cache' },
    });
    expect(fresh.headers.get('x-cache')).toBe('MISS');
    expect(fresh.body.current).toEqual(first.body.current);
  });

  it('builds trends of closed windows with least-squares summaries', async () => {
    const q = `window=1h&limit=3&at=${encodeURIComponent(at(120))}`;
    // Revenue per hour: [H−1h, H) 50, [H, H+1h) 20, [H+1h, H+2h) 120; mean 190/3,
    // slope (120 − 50) / 2 = 35, change 35 × 2 / 63.33 = 1.105 → up
    const revenue = await get(`/analytics/trends/revenue?${q}`);
    expect(revenue.points).toEqual([
      { start: at(-60), value: 50 },
      { start: at(0), value: 20 },
      { start: at(60), value: 120 },
    ]);
    expect(revenue.summary.mean).toBeCloseTo(190 / 3, 9);
    expect(revenue.summary.slope).toBeCloseTo(35, 9);
    expect(revenue.summary.direction).toBe('up');
    expect(revenue.summary.change).toBeCloseTo(70 / (190 / 3), 9);

    // Conversion: no viewers before H → 0, then 1/3, then 1.
    const conversion = await get(`/analytics/trends/conversion?${q}`);
    expect(conversion.points.map((p: Json) => p.value)).toEqual([0, 1 / 3, 1]);
    const orders = await get(`/analytics/trends/orders?${q}`);
    expect(orders.points.map((p: Json) => p.value)).toEqual([1, 1, 3]);
    const views = await get(`/analytics/trends/event:page_view?${q}`);
    expect(views.points.map((p: Json) => p.value)).toEqual([0, 3, 2]);
    expect(views.kind).toBe('event');
    // People with any event: u6; u1, u2, a1; u1, u3, u4 (the signup has no ids).
    const active = await get(`/analytics/trends/active_users?${q}`);
    expect(active.points.map((p: Json) => p.value)).toEqual([1, 3, 3]);
  });

  it('trends a metric by its average per window (null where it has no points)', async () => {
    const metricKey = await createApiKey(server, owner, 'ingest');
    const response = await rest(server, 'POST', '/metrics', {
      token: metricKey,
      body: {
        points: [
          { name: 'checkout.ms', value: 100, timestamp: at(10) },
          { name: 'checkout.ms', value: 200, timestamp: at(20) },
          { name: 'checkout.ms', value: 300, timestamp: at(70) },
        ],
      },
    });
    expect(response.status).toBe(200);
    const trend = await get(
      `/analytics/trends/checkout.ms?window=1h&limit=3&at=${encodeURIComponent(at(120))}`,
    );
    expect(trend.kind).toBe('metric');
    // [H−1h, H) nothing; [H, H+1h) (100 + 200) / 2; [H+1h, H+2h) 300
    expect(trend.points.map((p: Json) => p.value)).toEqual([null, 150, 300]);
    expect(trend.summary.slope).toBe(150);
    const max = await get(
      `/analytics/trends/metric:checkout.ms?window=1h&limit=3&fn=max&at=${encodeURIComponent(at(120))}`,
    );
    expect(max.points.map((p: Json) => p.value)).toEqual([null, 200, 300]);
  });

  it('computes features of one user and where they stand among purchasers', async () => {
    const features = await get('/analytics/users/u3/features');
    const asOf = Date.parse(features.asOf);
    const lastPurchase = H + 65 * MINUTE;
    expect(features).toMatchObject({
      userId: 'u3',
      firstSeenAt: at(62),
      lastSeenAt: at(65),
      events: 4,
      frequency: 2,
      // 5 × 1 (quantity null) + 7.5 × 2
      monetary: 20,
      averageOrderValue: 10,
      // p1 (cart and purchase) and p2
      distinctProducts: 2,
      preferredHour: new Date(H + HOUR).getUTCHours(),
      // Three minutes of activity count as one day.
      activeSpanDays: 1,
      eventsPerDay: 4,
    });
    expect(features.recencyDays).toBeCloseTo((asOf - lastPurchase) / DAY, 6);

    // Purchasers of A: u1 (1 order, 20, last H+10m), u3 (2, 20, H+65m), u4 (1, 100, H+70m),
    // u6 (1, 50, H−1m). percentile_cont interpolates at rank q × (n − 1): percentile_cont over frequency 1,1,1,2: p25 1, p50 1, p75 1.25,
    // p90 1.7; monetary 20,20,50,100: p25 20, p50 35, p75 62.5, p90 85.
    const { distribution } = features;
    expect(distribution.purchasers).toBe(4);
    expect(distribution.frequency.rank).toBe(1);
    expect(distribution.frequency.percentiles).toEqual({
      p25: 1,
      p50: 1,
      p75: 1.25,
      p90: expect.closeTo(1.7, 9),
    });
    expect(distribution.monetary.percentiles).toEqual({
      p25: 20,
      p50: 35,
      p75: 62.5,
      p90: expect.closeTo(85, 9),
    });
    // Monetary ≤ 20: u1 and u3 → 2/4; recency ≤ u3's: u3 and u4 → 2/4.
    expect(distribution.monetary.rank).toBe(0.5);
    expect(distribution.recencyDays.rank).toBe(0.5);
    // Recency p50 lies between u3's and u1's: (asOf − (H + 37.5m)) in days.
    expect(distribution.recencyDays.percentiles.p50).toBeCloseTo(
      (asOf - (H + 37.5 * MINUTE)) / DAY,
      6,
    );

    // u1 bought 1000 × 3 in workspace B: A's u1 spent 20.
    expect((await get('/analytics/users/u1/features')).monetary).toBe(20);
    const missing = await rest(server, 'GET', '/analytics/users/u9/features', { token: readKey });
    expect(missing.status).toBe(404);
  });

  it('flags two close spikes with the robust method where z-scores miss the second', async () => {
    // Pings per minute from H−10h: 10,12,10,12,10,12,10,12, then 100, 11, 100.
    const counts = [10, 12, 10, 12, 10, 12, 10, 12, 100, 11, 100];
    const start = -600;
    const pings = counts.flatMap((count, minute) =>
      Array.from({ length: count }, (_, i) =>
        event('ping', start + minute, { anonymousId: `ping-${i}` }),
      ),
    );
    await ingest(await createApiKey(server, owner, 'ingest'), pings);
    const q = `window=1m&limit=11&lookback=8&threshold=3&at=${encodeURIComponent(at(start + 11))}`;
    const both = await get(`/analytics/anomalies/event:ping?${q}`);
    expect(both.points.map((p: Json) => p.value)).toEqual(counts);
    // Second spike: baseline mean 22.125, stddev √(6936.875 / 7) = 31.48 → z = 2.47 (missed);
    // median 11.5, MAD 1 → (100 − 11.5) / 1.4826 = 59.7 (flagged).
    expect(both.scores[10].zscore.score).toBeCloseTo(77.875 / Math.sqrt(6936.875 / 7), 9);
    expect(both.scores[10].robust).toMatchObject({ median: 11.5, mad: 1, anomaly: true });
    const flagged = (method: string) =>
      both.anomalies.filter((a: Json) => a.method === method).map((a: Json) => a.start);
    expect(flagged('zscore')).toEqual([at(start + 8)]);
    expect(flagged('robust')).toEqual([at(start + 8), at(start + 10)]);

    // Minute rollups give the same counts once the job has run.
    await recomputeEventRollups(server.app.pulse.database.db);
    const robust = await get(`/analytics/anomalies/event:ping?${q}&method=robust`);
    expect(robust.points.map((p: Json) => p.value)).toEqual(counts);
    expect(robust.scores[10].zscore).toBeNull();
    expect(robust.anomalies.map((a: Json) => a.start)).toEqual([at(start + 8), at(start + 10)]);
  });

  it('forecasts a linear + daily seasonal series within its interval, with a small back-test error', async () => {
    // 72 hourly points (three days): 50 + 0.5 x + 10 sin(2π x / 24) + noise in [−1, 1].
    const truth = (x: number) => 50 + 0.5 * x + 10 * Math.sin((2 * Math.PI * x) / 24);
    const noise = (x: number) => (((x * 37) % 7) - 3) / 3;
    const origin = H - 100 * HOUR;
    const points = Array.from({ length: 72 }, (_, x) => ({
      name: 'synthetic.load',
      value: truth(x) + noise(x),
      timestamp: iso(origin + x * HOUR + 30 * MINUTE),
    }));
    const recorded = await rest(server, 'POST', '/metrics', {
      token: await createApiKey(server, owner, 'ingest'),
      body: { points },
    });
    expect(recorded.status).toBe(200);
    const forecast = await get(
      `/analytics/forecast/synthetic.load?window=1h&limit=72&horizon=6&holdout=6&at=${encodeURIComponent(iso(origin + 72 * HOUR))}`,
    );
    expect(forecast).toMatchObject({ model: 'linear+seasonal', period: 24, confidence: 0.95 });
    expect(forecast.trend.slope).toBeCloseTo(0.5, 1);
    expect(forecast.forecast).toHaveLength(6);
    forecast.forecast.forEach((predicted: Json, i: number) => {
      expect(predicted.start).toBe(iso(origin + (72 + i) * HOUR));
      const expected = truth(72 + i);
      expect(predicted.lower).toBeLessThan(expected);
      expect(predicted.upper).toBeGreaterThan(expected);
      expect(Math.abs(predicted.value - expected)).toBeLessThan(1.5);
    });
    // Fitted on 66 windows (2.75 days ≥ two seasons), the last 6 are predicted within the noise.
    expect(forecast.backtest.model).toBe('linear+seasonal');
    expect(forecast.backtest.holdout).toBe(6);
    expect(forecast.backtest.mae).toBeLessThan(1.5);
    expect(forecast.backtest.mape).toBeLessThan(2);
  });

  it('switches revenue to a property path when an admin says so, and drops cached figures', async () => {
    const shop = await registerOwner(server, 'shop');
    const shopRead = await createApiKey(server, shop, 'read');
    await ingest(await createApiKey(server, shop, 'ingest'), [
      event('purchase', 61, { userId: 's1', price: 999, properties: { amount: 12.5 } }),
      event('purchase', 62, { userId: 's2', price: 1, properties: { amount: 3, qty: 4 } }),
      event('purchase', 63, { userId: 's3', properties: { amount: '7' } }),
    ]);
    const kpiPath = `/analytics/kpis?window=1h&at=${encodeURIComponent(at(120))}`;
    // Defaults: price column × quantity (null → 1): 999 + 1 + nothing = 1000.
    expect((await get(kpiPath, shopRead)).current.gmv).toBe(1000);
    expect((await get('/analytics/settings', shopRead)).updatedAt).toBeNull();

    const viewer = await join(server, shop, 'viewer');
    const denied = await rest(server, 'PUT', '/analytics/settings', {
      token: viewer.accessToken,
      body: { priceField: 'properties.amount' },
    });
    expect(denied.status).toBe(403);
    const invalid = await rest(server, 'PUT', '/analytics/settings', {
      token: shop.accessToken,
      body: { priceField: 'amount' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.data.issues.map((i: Json) => i.path)).toEqual(['priceField']);

    const saved = await rest(server, 'PUT', '/analytics/settings', {
      token: shop.accessToken,
      body: { priceField: 'properties.amount', quantityField: 'properties.qty' },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({
      pageViewType: 'page_view',
      purchaseType: 'purchase',
      priceField: 'properties.amount',
      quantityField: 'properties.qty',
    });
    expect(await get('/analytics/settings', shopRead)).toEqual(saved.body);
    // 12.5 × 1 + 3 × 4; the string "7" is not a number, so that order adds no revenue.
    const kpis = await rest(server, 'GET', kpiPath, { token: shopRead });
    expect(kpis.headers.get('x-cache')).toBe('MISS');
    expect(kpis.body.current).toMatchObject({ orders: 3, gmv: 24.5, purchaseUsers: 3 });
    const revenue = await get(
      `/analytics/trends/revenue?window=1h&limit=2&at=${encodeURIComponent(at(120))}`,
      shopRead,
    );
    expect(revenue.points.map((p: Json) => p.value)).toEqual([0, 24.5]);
    const audit = await server.app.pulse.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id'])
      .where('workspace_id', '=', shop.workspaceId)
      .where('action', '=', 'analytics.settings.updated')
      .execute();
    expect(audit).toEqual([{ action: 'analytics.settings.updated', actor_user_id: shop.userId }]);
  });

  it('keeps distinct people per closed window until late events change the window', async () => {
    const late = await registerOwner(server, 'late');
    const lateRead = await createApiKey(server, late, 'read');
    const lateIngest = await createApiKey(server, late, 'ingest');
    await ingest(lateIngest, [
      event('page_view', 10, { userId: 'l1' }),
      event('page_view', 20, { userId: 'l2' }),
    ]);
    const db = server.app.pulse.database.db;
    const active = async () => {
      const response = await rest(
        server,
        'GET',
        `/analytics/trends/active_users?window=1h&limit=2&at=${encodeURIComponent(at(60))}`,
        { token: lateRead, headers: { 'cache-control': 'no-cache' } },
      );
      expect(response.status).toBe(200);
      return response.body.points.map((p: Json) => p.value);
    };
    const kept = () =>
      db
        .selectFrom('analytics_window_people')
        .select(['bucket', 'people', 'computed_at'])
        .where('workspace_id', '=', late.workspaceId)
        .where('key', '=', '')
        .orderBy('bucket')
        .execute();

    expect(await active()).toEqual([0, 2]);
    const first = await kept();
    expect(first.map((row) => [new Date(row.bucket).toISOString(), Number(row.people)])).toEqual([
      [at(-60), 0],
      [at(0), 2],
    ]);
    // Rolled up and unchanged since: the kept figures are used as they are.
    await recomputeEventRollups(db);
    expect(await active()).toEqual([0, 2]);
    const reused = await kept();
    // The rollup rewrote [H, H+1h) after the first count, so that window was counted again once.
    expect(await active()).toEqual([0, 2]);
    expect(await kept()).toEqual(reused);

    // A late event lands in the closed window: counted while its mark is pending…
    await ingest(lateIngest, [event('purchase', 30, { userId: 'l3', price: 1 })]);
    expect(await active()).toEqual([0, 3]);
    // …and still after the rollup job rewrote the window's rows.
    await recomputeEventRollups(db);
    expect(await active()).toEqual([0, 3]);
    const counted = await kept();
    expect(Number(counted[1]?.people)).toBe(3);
    expect(counted[0]).toEqual(first[0]);
  });

  it('answers bad parameters with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['/analytics/kpis?window=2h', 'window'],
      ['/analytics/kpis?at=yesterday', 'at'],
      [`/analytics/kpis?at=${encodeURIComponent(iso(Date.now() + DAY))}`, 'at'],
      ['/analytics/trends/revenue?limit=1', 'limit'],
      ['/analytics/trends/revenue?limit=100000', 'limit'],
      ['/analytics/trends/bad%20name!', 'series'],
      ['/analytics/trends/metric%3A', 'series'],
      ['/analytics/anomalies/orders?method=magic', 'method'],
      ['/analytics/anomalies/orders?lookback=1', 'lookback'],
      ['/analytics/forecast/orders?limit=10&holdout=10', 'holdout'],
      ['/analytics/forecast/no.such.metric', 'series'],
      ['/analytics/forecast/orders?confidence=2', 'confidence'],
    ];
    for (const [path, field] of cases) {
      const response = await rest(server, 'GET', path, { token: readKey });
      expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBe(400);
      expect(
        response.body.data.issues.map((i: Json) => i.path),
        path,
      ).toContain(field);
    }
  });

  it('keeps workspaces apart', async () => {
    const otherRead = await createApiKey(server, otherOwner, 'read');
    const kpis = await get(
      `/analytics/kpis?window=1h&at=${encodeURIComponent(at(120))}`,
      otherRead,
    );
    // B: u1 views, u1 buys 1000 × 3, u9 buys 1 → orders 2, gmv 3001.
    expect(kpis.current).toMatchObject({
      orders: 2,
      gmv: 3001,
      purchaseUsers: 2,
      viewUsers: 1,
      activeUsers: 2,
    });
    expect(kpis.freshness.lastEventAt).toBe(at(130));
    expect((await get('/analytics/users/u9/features', otherRead)).monetary).toBe(1);
  });
});
