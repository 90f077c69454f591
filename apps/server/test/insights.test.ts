import { recomputeEventRollups, recomputeMetricRollups } from '@pulse/api';
import { scopeTo } from '@pulse/db';
import { createPulseClient } from '@pulse/sdk';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { type Account, createApiKey, registerOwner } from './accounts.js';
import {
  DAY,
  eventId,
  HOUR,
  ingest,
  insertStored,
  iso,
  MINUTE,
  setLag,
} from './data-health.support.js';
import { rest, uniqueEmail, useTestServer } from './harness.js';
import { openSse } from './live.support.js';

const eventually = { timeout: 8_000, interval: 25 };
const today = Math.floor(Date.now() / DAY) * DAY;
const yesterday = today - DAY;
const dayBefore = yesterday - DAY;

/**
 * Day before yesterday: 10 people view, 5 of them buy at 20 (products p1 ×3 on the web, p2 ×2
 * in the app). Yesterday: 10 other people view, 1 buys at 40 (p2, app). Arrivals 1 s late.
 */
async function seedCommerce(server: Parameters<typeof ingest>[0], owner: Account) {
  const events: Record<string, unknown>[] = [];
  for (let i = 1; i <= 10; i++) {
    const view = (day: number, user: string) => ({
      id: eventId('view'),
      type: 'page_view',
      userId: user,
      sessionId: `s-${user}`,
      timestamp: iso(day + HOUR + i * 1000),
    });
    events.push(view(dayBefore, `v${i}`), view(yesterday, `w${i}`));
  }
  const purchase = (at: number, user: string, price: number, product: string, channel: string) => ({
    id: eventId('buy'),
    type: 'purchase',
    userId: user,
    sessionId: `s-${user}`,
    timestamp: iso(at),
    price,
    quantity: 1,
    currency: 'EUR',
    productId: product,
    properties: { channel },
  });
  for (let i = 1; i <= 5; i++) {
    events.push(
      purchase(
        dayBefore + 2 * HOUR + i * 1000,
        `v${i}`,
        20,
        i <= 3 ? 'p1' : 'p2',
        i <= 3 ? 'web' : 'app',
      ),
    );
  }
  events.push(purchase(yesterday + 2 * HOUR, 'w1', 40, 'p2', 'app'));
  expect(await ingest(server, owner.accessToken, events)).toMatchObject({ accepted: 26 });
  await setLag(server, owner.workspaceId, 1_000);
}

/** 20 events that arrived 200 s late, 2 of them with no user or anonymous id. */
async function seedSlowAnonymous(server: Parameters<typeof ingest>[0], workspaceId: string) {
  const receivedAt = Date.now() - 30_000;
  await insertStored(
    server,
    workspaceId,
    Array.from({ length: 20 }, (_, i) => ({
      type: 'page_view',
      receivedAt,
      timestamp: receivedAt - 200_000,
      ...(i < 18 ? { userId: `u${i}` } : {}),
    })),
  );
}

describe('insights over REST', () => {
  const server = useTestServer();

  it('finds a conversion drop and a revenue trend with evidence, confidence and impact', async () => {
    const owner = await registerOwner(server);
    await seedCommerce(server, owner);
    const response = await rest(server, 'GET', '/insights', { token: owner.accessToken });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.headers.get('x-cache')).toBe('MISS');
    const [drop, trend, ...rest_] = response.body.items;
    expect(rest_).toEqual([]);
    // Conversion 5/10 = 0.5 → 1/10 = 0.1, a drop of 80 %. Pooled p = 6/20 = 0.3, standard
    // error √(0.3 × 0.7 × (1/10 + 1/10)) = 0.20494, z = 0.4 / 0.20494 = 1.9518, Φ(z) = 0.9745.
    // Revenue at risk = (0.5 − 0.1) × 10 viewers × average order 40 = 160.
    expect(drop).toEqual({
      id: expect.any(String),
      kind: 'conversion_drop',
      severity: 'critical',
      title: `Conversion fell 80 % (50 % → 10 %) in the 1d window from ${iso(yesterday)}`,
      evidence: {
        window: '1d',
        from: iso(yesterday),
        previousConversion: 0.5,
        currentConversion: 0.1,
        relativeDrop: 0.8,
        previousViewUsers: 10,
        previousPurchaseUsers: 5,
        viewUsers: 10,
        purchaseUsers: 1,
        averageOrderValue: 40,
      },
      confidence: 0.9745,
      impact: { value: 160, unit: 'revenue', basis: expect.any(String) },
    });
    // Daily revenue over 14 closed days: twelve 0s, then 100 and 40. Least squares over
    // x = 0…13: x̄ = 6.5, Sxx = 227.5, Sxy = 810 → slope 3.5604, mean 10, change 3.5604 × 13 /
    // 10 = 4.6286 (up). Residual SS 7316.04 → SE = √(7316.04 / 12 / 227.5) = 1.6370, t = 2.1749,
    // two-sided confidence 0.9704; impact = slope × 14 windows = 49.85.
    expect(trend).toEqual({
      id: expect.any(String),
      kind: 'revenue_trend',
      severity: 'info',
      title: 'Revenue is trending up: +463 % of its mean over the last 14 1d windows',
      evidence: {
        window: '1d',
        windows: 14,
        from: iso(yesterday - 13 * DAY),
        mean: 10,
        slopePerWindow: 3.56,
        relativeChange: 4.6286,
        slopeStandardError: 1.64,
      },
      confidence: 0.9704,
      impact: { value: 49.85, unit: 'revenue', basis: expect.any(String) },
    });

    const cached = await rest(server, 'GET', '/insights', { token: owner.accessToken });
    expect(cached.headers.get('x-cache')).toBe('HIT');
    // A schema registration drops cached insights; recomputed, each finding keeps its id.
    await rest(server, 'PUT', '/analytics/schemas/signup', {
      token: owner.accessToken,
      body: { schema: {} },
    });
    const recomputed = await rest(server, 'GET', '/insights', { token: owner.accessToken });
    expect(recomputed.headers.get('x-cache')).toBe('MISS');
    expect(recomputed.body.items.map((item: { id: string }) => item.id)).toEqual([
      drop.id,
      trend.id,
    ]);

    // Another workspace sees none of it.
    const other = await registerOwner(server);
    const theirs = await rest(server, 'GET', '/insights', { token: other.accessToken });
    expect(theirs.body.items).toEqual([]);
  });

  it('finds hourly anomalies in revenue, orders and active users', async () => {
    const owner = await registerOwner(server);
    const hour = Math.floor(Date.now() / HOUR) * HOUR;
    // One purchase of 100 by a different person in each hour from 30 to 2 hours ago; none in
    // the last closed hour.
    const events = Array.from({ length: 29 }, (_, i) => ({
      id: eventId('hourly'),
      type: 'purchase',
      userId: `h${i}`,
      sessionId: `s${i}`,
      timestamp: iso(hour - (30 - i) * HOUR + 60_000),
      price: 100,
      quantity: 1,
    }));
    await ingest(server, owner.accessToken, events);
    await setLag(server, owner.workspaceId, 1_000);
    const response = await rest(server, 'GET', '/insights', { token: owner.accessToken });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const anomalies = response.body.items.filter(
      (item: { kind: string }) => item.kind === 'anomaly',
    );
    // The 24 hours before the last closed one are all 1 order, 100 revenue, 1 person: median
    // equal to them, MAD 0, so the drop to 0 is flagged with no finite score (certain).
    const start = iso(hour - HOUR);
    const anomaly = (series: string, typical: number, impact: object) => ({
      id: expect.any(String),
      kind: 'anomaly',
      severity: 'critical',
      title: `${series} dropped to 0 in the 1h window from ${start} (typical ${typical})`,
      evidence: {
        series,
        window: '1h',
        start,
        value: 0,
        baselineMedian: typical,
        baselineMad: 0,
        robustScore: null,
      },
      confidence: 1,
      impact,
    });
    // Equal impacts are ordered by id (a hash), so the check ignores the order.
    const bySeries = (a: { evidence: { series: string } }, b: { evidence: { series: string } }) =>
      a.evidence.series < b.evidence.series ? -1 : 1;
    expect(anomalies.sort(bySeries)).toEqual([
      anomaly('active_users', 1, { value: -1, unit: 'users', basis: expect.any(String) }),
      anomaly('orders', 1, { value: -100, unit: 'revenue', basis: expect.any(String) }), // −1 × AOV 100
      anomaly('revenue', 100, { value: -100, unit: 'revenue', basis: expect.any(String) }),
    ]);
  });

  it('finds data-quality problems and slow ingestion', async () => {
    const owner = await registerOwner(server);
    await seedSlowAnonymous(server, owner.workspaceId);
    const key = await createApiKey(server, owner, 'read');
    const response = await rest(server, 'GET', '/insights?window=1h', { token: key });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const byKind = (kind: string) =>
      response.body.items.filter((item: { kind: string }) => item.kind === kind);
    // All 20 lags are 200 s: p95 200 > 120 → critical; the one minute with events is slow.
    expect(byKind('slow_ingestion')).toEqual([
      expect.objectContaining({
        severity: 'critical',
        evidence: expect.objectContaining({
          events: 20,
          p50Seconds: 200,
          p95Seconds: 200,
          maxSeconds: 200,
          slowMinutes: 1,
          activeMinutes: 1,
        }),
        confidence: 1,
        impact: expect.objectContaining({ value: 1, unit: 'minutes' }),
      }),
    ]);
    // 2 of 20 without identity: 0.1 > 0.05 (warning, ≤ 0.2). z = 0.05 / √(0.05 × 0.95 / 20)
    // = 1.0260 → Φ = 0.8475.
    expect(byKind('data_quality')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        title: '10 % of events carry neither a user id nor an anonymous id',
        evidence: expect.objectContaining({ rate: 0.1, threshold: 0.05, count: 2, of: 20 }),
        confidence: 0.8475,
        impact: expect.objectContaining({ value: 2, unit: 'events' }),
      }),
    ]);
    const bad = await rest(server, 'GET', '/insights?window=1w', { token: key });
    expect(bad.status).toBe(400);
    expect(bad.body.data.issues[0].path).toBe('window');
  });

  it('reports revenue by day with growth and top segments', async () => {
    const owner = await registerOwner(server);
    await seedCommerce(server, owner);
    const response = await rest(
      server,
      'GET',
      '/insights/revenue?period=day&periods=3&property=channel',
      { token: owner.accessToken },
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const day = (
      start: number,
      revenue: number,
      orders: number,
      previous: number,
      growth: number | null,
    ) => ({
      start: iso(start),
      end: iso(start + DAY),
      revenue,
      orders,
      previousRevenue: previous,
      growth,
      partial: start === today,
    });
    expect(response.body).toEqual({
      period: 'day',
      from: iso(dayBefore),
      to: iso(today + DAY),
      purchaseType: 'purchase',
      total: { revenue: 140, orders: 6 },
      growth: -0.6, // yesterday 40 vs 100 the day before
      series: [
        day(dayBefore, 100, 5, 0, null),
        day(yesterday, 40, 1, 100, -0.6),
        day(today, 0, 0, 40, -1),
      ],
      segments: {
        byProduct: [
          { key: 'p2', revenue: 80, orders: 3, share: 80 / 140 },
          { key: 'p1', revenue: 60, orders: 3, share: 60 / 140 },
        ],
        byCurrency: [{ key: 'EUR', revenue: 140, orders: 6, share: 1 }],
        byProperty: {
          property: 'channel',
          items: [
            { key: 'app', revenue: 80, orders: 3, share: 80 / 140 },
            { key: 'web', revenue: 60, orders: 3, share: 60 / 140 },
          ],
        },
      },
    });
    // ISO weeks from Monday: the two days fall in this week or the last, by the calendar.
    const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
    const within = (start: number, end: number) => ({
      revenue:
        (dayBefore >= start && dayBefore < end ? 100 : 0) +
        (yesterday >= start && yesterday < end ? 40 : 0),
      orders:
        (dayBefore >= start && dayBefore < end ? 5 : 0) +
        (yesterday >= start && yesterday < end ? 1 : 0),
    });
    const weekly = await rest(server, 'GET', '/insights/revenue?period=week&periods=2', {
      token: owner.accessToken,
    });
    expect(weekly.status, JSON.stringify(weekly.body)).toBe(200);
    expect(weekly.body.series).toEqual(
      [monday - 7 * DAY, monday].map((start) => {
        const own = within(start, start + 7 * DAY);
        const previousRevenue = within(start - 7 * DAY, start).revenue;
        return {
          start: iso(start),
          end: iso(start + 7 * DAY),
          ...own,
          previousRevenue,
          growth: previousRevenue === 0 ? null : (own.revenue - previousRevenue) / previousRevenue,
          partial: start === monday,
        };
      }),
    );
    expect(weekly.body.total).toEqual({ revenue: 140, orders: 6 });
    expect(weekly.body.segments.byProperty).toBeNull();
    expect(weekly.body.segments.byCurrency).toEqual([
      { key: 'EUR', revenue: 140, orders: 6, share: 1 },
    ]);
    const tooMany = await rest(server, 'GET', '/insights/revenue?period=month&periods=40', {
      token: owner.accessToken,
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.data.issues[0].path).toBe('periods');
    const badKey = await rest(server, 'GET', '/insights/revenue?property=a%20b', {
      token: owner.accessToken,
    });
    expect(badKey.status).toBe(400);
    expect(badKey.body.data.issues[0].path).toBe('property');
    const other = await registerOwner(server);
    const theirs = await rest(server, 'GET', '/insights/revenue?periods=3', {
      token: other.accessToken,
    });
    expect(theirs.body.total).toEqual({ revenue: 0, orders: 0 });
  });

  it('reports workspace statistics from rollups and recent raw events', async () => {
    const owner = await registerOwner(server);
    // Inside the last 24 closed hours, which the recent activity counts.
    const hour = Math.floor(Date.now() / HOUR) * HOUR;
    const minute = hour - 2 * HOUR + 10 * MINUTE;
    const old = minute - 3 * DAY;
    const token = owner.accessToken;
    await ingest(server, token, [
      {
        id: eventId(),
        type: 'page_view',
        userId: 'u1',
        sessionId: 's1',
        timestamp: iso(minute + 1000),
      },
      {
        id: eventId(),
        type: 'page_view',
        userId: 'u1',
        sessionId: 's2',
        timestamp: iso(minute + 2000),
      },
      { id: eventId(), type: 'page_view', anonymousId: 'a1', timestamp: iso(minute + 3000) },
    ]);
    await ingest(server, token, [
      { id: eventId(), type: 'purchase', userId: 'u2', timestamp: iso(old + 1000), price: 5 },
      { id: eventId(), type: 'purchase', userId: 'u2', timestamp: iso(old + 2000), price: 5 },
    ]);
    for (const point of [
      { name: 'cpu', value: 1, timestamp: iso(minute + 1000) },
      { name: 'cpu', value: 2, timestamp: iso(minute + 2000) },
      { name: 'mem', value: 3, timestamp: iso(minute + 3000) },
    ]) {
      expect((await rest(server, 'POST', '/metrics', { token, body: point })).status).toBe(200);
    }
    await recomputeEventRollups(server.app.pulse.database.db);
    await recomputeMetricRollups(server.app.pulse.database.db);
    // Ingested after the rollup run: counted in the last 24 h, pending for the totals.
    await ingest(server, token, [
      { id: eventId(), type: 'page_view', userId: 'u3', timestamp: iso(minute + 4000) },
    ]);
    const other = await registerOwner(server);
    await ingest(server, other.accessToken, [{ id: eventId(), type: 'elsewhere', userId: 'x' }]);

    const response = await rest(server, 'GET', '/insights/stats', { token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.headers.get('x-cache')).toBe('MISS');
    expect(response.body).toEqual({
      at: expect.any(String),
      events: {
        total: 5,
        byType: [
          { type: 'page_view', count: 3 },
          { type: 'purchase', count: 2 },
        ],
        types: 2,
        pendingMinutes: 1,
        source: 'rollup',
      },
      firstEventAt: iso(old + 1000),
      lastEventAt: iso(minute + 4000),
      // 4 recent events; people u1, a1, u3; sessions s1, s2 (events without one do not count).
      last24h: {
        from: iso(hour - DAY),
        to: iso(hour),
        events: 4,
        users: 3,
        sessions: 2,
        source: 'exact',
      },
      metrics: { points: 3, names: 2, source: 'rollup' },
      ingestion: { batches: 3, accepted: 6, duplicates: 0, rejected: 0, source: 'exact' },
      // A minute row and an hour row per event type and per metric.
      storage: { eventRollupRows: 4, metricRollupRows: 4, eventSchemas: 0 },
    });

    const client = createPulseClient({ url: server.url });
    client.setTokens({ accessToken: token, refreshToken: '' } as never);
    expect(await client.api.insights.stats.query()).toEqual(response.body);
    await client.close();

    // The window's counts are kept between reads, but a late event in it is counted at once
    // (marked dirty) and after it is rolled up (the window's rollup rows changed).
    const recentNow = async () =>
      (
        await rest(server, 'GET', '/insights/stats', {
          token,
          headers: { 'cache-control': 'no-cache' },
        })
      ).body.last24h;
    expect(await recentNow()).toMatchObject({ events: 4, users: 3, sessions: 2 });
    await ingest(server, token, [
      { id: eventId(), type: 'page_view', userId: 'u4', sessionId: 's4', timestamp: iso(minute) },
    ]);
    expect(await recentNow()).toMatchObject({ events: 5, users: 4, sessions: 3 });
    await recomputeEventRollups(server.app.pulse.database.db);
    expect(await recentNow()).toMatchObject({ events: 5, users: 4, sessions: 3 });
    await ingest(server, token, [
      { id: eventId(), type: 'page_view', userId: 'u5', timestamp: iso(minute + 5000) },
    ]);
    await recomputeEventRollups(server.app.pulse.database.db);
    expect(await recentNow()).toMatchObject({ events: 6, users: 5, sessions: 3 });
  });
});

// Events stamped 200 s before now fall in the last closed hour during an hour's first
// minutes, which is also an hourly anomaly (a spike of active users): not what these check.
const isHealthFinding = (item: { kind: string }) => item.kind !== 'anomaly';

describe('live.insights', () => {
  const server = useTestServer({ LIVE_INSIGHTS_INTERVAL_MS: '300' });

  it('pushes a snapshot, then only new, changed and resolved insights; resumable', async () => {
    const client = createPulseClient({ url: server.url, WebSocket });
    const session = await client.register({
      email: uniqueEmail('insights'),
      password: 'insights-live-password',
      name: 'Ina',
    });
    const workspaceId = session.workspace.id;
    // biome-ignore lint/suspicious/noExplicitAny: feed messages are asserted on loosely.
    const received: { id: string; data: any }[] = [];
    const subscription = client.api.live.insights.subscribe(undefined, {
      onData: (message) => received.push(message as (typeof received)[number]),
    });
    const elsewhere = createPulseClient({ url: server.url, WebSocket });
    await elsewhere.register({
      email: uniqueEmail('other'),
      password: 'insights-live-password',
      name: 'Oto',
    });
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    const theirs: any[] = [];
    const theirSubscription = elsewhere.api.live.insights.subscribe(undefined, {
      onData: ({ data }) => theirs.push(data),
    });

    await vi.waitFor(() => expect(received).toHaveLength(1), eventually);
    const snapshot = received[0];
    expect(snapshot?.data).toMatchObject({
      kind: 'insights',
      snapshot: true,
      items: [],
      resolved: [],
    });

    await seedSlowAnonymous(server, workspaceId);
    // Messages are found by content: an hourly anomaly may come and go in between (see above).
    const healthOf = (message: (typeof received)[number]) =>
      message.data.items.filter(isHealthFinding);
    const firstWhere = async (test: (message: (typeof received)[number]) => boolean) => {
      await vi.waitFor(() => expect(received.findIndex(test)).toBeGreaterThan(0), eventually);
      return received.findIndex(test);
    };
    const newsAt = await firstWhere((message) => healthOf(message).length > 0);
    const news = received[newsAt]?.data;
    expect(news).toMatchObject({ kind: 'insights', snapshot: false });
    const health = healthOf(received[newsAt] as (typeof received)[number]);
    expect(health.map((item: { kind: string }) => item.kind).sort()).toEqual([
      'data_quality',
      'slow_ingestion',
    ]);
    const ids: string[] = health.map((item: { id: string }) => item.id);
    const listed = await client.api.insights.list.query({ window: '1h' });
    expect(ids.every((id) => listed.items.some((item) => item.id === id))).toBe(true);

    // Until the events go away the findings do not change, so they are not pushed again.
    await scopeTo(server.app.pulse.database.db, workspaceId).deleteFrom('events').execute();
    const resolvedAt = await firstWhere((message) =>
      ids.every((id) => message.data.resolved?.includes(id)),
    );
    expect(received[resolvedAt]?.data).toMatchObject({ kind: 'insights', snapshot: false });
    const between = received.slice(newsAt + 1, resolvedAt);
    expect(between.filter((message) => healthOf(message).length > 0)).toEqual([]);

    // Resuming after the snapshot replays exactly what followed it, and no snapshot.
    const resumed: typeof received = [];
    const again = client.api.live.insights.subscribe(
      { lastEventId: snapshot?.id },
      { onData: (message) => resumed.push(message as (typeof received)[number]) },
    );
    await vi.waitFor(() => expect(resumed.length).toBeGreaterThanOrEqual(resolvedAt), eventually);
    expect(resumed.slice(0, resolvedAt)).toEqual(received.slice(1, resolvedAt + 1));

    expect(theirs).toEqual([expect.objectContaining({ snapshot: true, items: [] })]);
    for (const open of [subscription, theirSubscription, again]) open.unsubscribe();
    await client.close();
    await elsewhere.close();
  });

  it('serves the same feed as Server-Sent Events', async () => {
    const owner = await registerOwner(server);
    await seedSlowAnonymous(server, owner.workspaceId);
    const stream = await openSse(server, '/stream/insights', { token: owner.accessToken });
    expect(stream.status).toBe(200);
    await vi.waitFor(() => expect(stream.events).toHaveLength(1), eventually);
    const kinds = stream.events[0]?.data.items
      .filter(isHealthFinding)
      .map((item: { kind: string }) => item.kind)
      .sort();
    expect(stream.events[0]?.data.snapshot).toBe(true);
    expect(kinds).toEqual(['data_quality', 'slow_ingestion']);
    stream.close();
  });
});
