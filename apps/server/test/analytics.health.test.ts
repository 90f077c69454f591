import { recomputeEventRollups } from '@pulse/api';
import { createPulseClient } from '@pulse/sdk';
import { describe, expect, it } from 'vitest';
import { createApiKey, join, registerOwner } from './accounts.js';
import {
  eventId,
  HOUR,
  ingest,
  insertStored,
  iso,
  MINUTE,
  query,
  setLag,
  setReceivedAt,
} from './data-health.support.js';
import { rest, useTestServer } from './harness.js';

const purchaseSchema = {
  type: 'object',
  required: ['orderId'],
  additionalProperties: false,
  properties: { orderId: { type: 'string' }, coupon: { type: 'string', maxLength: 8 } },
};

describe('event schemas', () => {
  const server = useTestServer();

  it('registers versions, reads them back and lists the latest of each type', async () => {
    const owner = await registerOwner(server);
    const first = await rest(server, 'PUT', '/analytics/schemas/purchase', {
      token: owner.accessToken,
      body: { schema: { required: ['orderId'] }, description: 'orders' },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ type: 'purchase', version: 1, createdBy: owner.userId });
    const second = await rest(server, 'PUT', '/analytics/schemas/purchase', {
      token: owner.accessToken,
      body: { schema: purchaseSchema },
    });
    expect(second.body).toMatchObject({ version: 2, schema: purchaseSchema, description: null });
    await rest(server, 'PUT', '/analytics/schemas/signup', {
      token: owner.accessToken,
      body: { schema: {} },
    });

    const latest = await rest(server, 'GET', '/analytics/schemas/purchase', {
      token: owner.accessToken,
    });
    expect(latest.body.version).toBe(2);
    const old = await rest(server, 'GET', '/analytics/schemas/purchase?version=1', {
      token: owner.accessToken,
    });
    expect(old.body).toMatchObject({ version: 1, schema: { required: ['orderId'] } });
    const missing = await rest(server, 'GET', '/analytics/schemas/purchase?version=3', {
      token: owner.accessToken,
    });
    expect(missing.status).toBe(404);
    expect(missing.body.data?.issues ?? missing.body.issues).toBeDefined();

    const client = createPulseClient({ url: server.url });
    client.setTokens({ accessToken: owner.accessToken, refreshToken: '' } as never);
    const listed = await client.api.analytics.schemas.list.query();
    expect(listed.items.map((item) => [item.type, item.version, item.versions])).toEqual([
      ['purchase', 2, 2],
      ['signup', 1, 1],
    ]);
    await client.close();

    const other = await registerOwner(server);
    const elsewhere = await rest(server, 'GET', '/analytics/schemas/purchase', {
      token: other.accessToken,
    });
    expect(elsewhere.status).toBe(404);
  });

  it('refuses a bad schema with 400 naming the path, and non-admins with 403', async () => {
    const owner = await registerOwner(server);
    const bad = await rest(server, 'PUT', '/analytics/schemas/purchase', {
      token: owner.accessToken,
      body: { schema: { properties: { price: { type: 'number', minimum: 'zero' } } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('schema.properties.price.minimum');
    const unsupported = await rest(server, 'PUT', '/analytics/schemas/purchase', {
      token: owner.accessToken,
      body: { schema: { properties: { sku: { pattern: '^A' } } } },
    });
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.message).toBe(
      'schema.properties.sku.pattern: is not a supported keyword',
    );
    const noBody = await rest(server, 'PUT', '/analytics/schemas/purchase', {
      token: owner.accessToken,
      body: {},
    });
    expect(noBody.status).toBe(400);
    expect(noBody.body.data.issues.map((i: { path: string }) => i.path)).toEqual(['schema']);

    const member = await join(server, owner, 'member');
    const refused = await rest(server, 'PUT', '/analytics/schemas/purchase', {
      token: member.accessToken,
      body: { schema: {} },
    });
    expect(refused.status).toBe(403);
    const key = await createApiKey(server, owner, 'read');
    expect((await rest(server, 'GET', '/analytics/schemas', { token: key })).status).toBe(200);
  });
});

describe('analytics.dataQuality', () => {
  const server = useTestServer();

  it('counts completeness, validity, lag, duplicates and schema compliance of hand-built events', async () => {
    const owner = await registerOwner(server);
    const token = owner.accessToken;
    await rest(server, 'PUT', '/analytics/schemas/purchase', {
      token,
      body: { schema: purchaseSchema },
    });
    const base = Math.floor(Date.now() / MINUTE) * MINUTE - 30 * MINUTE;
    const at = (n: number) => iso(base + n * 1000);
    const event = (n: number, fields: Record<string, unknown>) => ({
      id: `q${n}-${owner.workspaceId}`,
      timestamp: at(n),
      ...fields,
    });
    const events = [
      event(1, { type: 'page_view', userId: 'u1', sessionId: 's1' }),
      event(2, { type: 'page_view', anonymousId: 'a1', sessionId: 's2' }),
      event(3, { type: 'page_view' }), // no identity, no session
      event(4, {
        type: 'add_to_cart',
        userId: 'u1',
        sessionId: 's1',
        productId: 'p1',
        price: 10,
        quantity: 1,
        currency: 'EUR',
      }),
      event(5, {
        type: 'purchase',
        userId: 'u1',
        sessionId: 's1',
        productId: 'p1',
        price: 20,
        quantity: 2,
        currency: 'EUR',
        properties: { orderId: 'o1' },
      }),
      event(6, { type: 'purchase', userId: 'u2', sessionId: 's3', properties: { orderId: 5 } }),
      event(7, {
        type: 'purchase',
        userId: 'u3',
        sessionId: 's4',
        properties: { coupon: 'TOOLONGCOUPON' },
      }),
      event(8, {
        type: 'purchase',
        userId: 'u4',
        sessionId: 's5',
        properties: { orderId: 'o4', extra: true },
      }),
      event(9, { type: 'signup', userId: 'u5', sessionId: 's6' }),
      event(10, {
        type: 'purchase',
        userId: 'u6',
        sessionId: 's7',
        price: 2_000_000,
        quantity: 1,
        currency: 'USD',
        properties: { orderId: 'o6' },
      }),
    ];
    expect(await ingest(server, token, events)).toMatchObject({ accepted: 10, duplicates: 0 });
    // Resent: event 2 alone, then event 1 with an invalid event (price −1) in a partial batch.
    expect(await ingest(server, token, [events[1] as Record<string, unknown>])).toMatchObject({
      duplicates: 1,
    });
    const invalid = { id: eventId(), type: 'page_view', price: -1 };
    expect(
      await ingest(server, token, [events[0] as Record<string, unknown>, invalid], true),
    ).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });
    // What ingestion cannot produce: a negative price (event 4) and exact arrival times.
    await setLag(server, owner.workspaceId, 2_000);
    await setReceivedAt(server, owner.workspaceId, events[1]?.id as string, base + 2_000 - 300_000);
    await setReceivedAt(
      server,
      owner.workspaceId,
      events[9]?.id as string,
      base + 10_000 + 100_000,
    );
    const { scopeTo } = await import('@pulse/db');
    await scopeTo(server.app.pulse.database.db, owner.workspaceId)
      .updateTable('events')
      .set({ price: -10 })
      .where('id', '=', events[3]?.id as string)
      .execute();
    // Another workspace's events in the same range never count here.
    const other = await registerOwner(server);
    await ingest(server, other.accessToken, [
      { id: eventId(), type: 'mystery', timestamp: at(1) },
      { id: eventId(), type: 'page_view', timestamp: at(2), price: 5 },
    ]);

    // Up to after now: ingest counters are recorded at arrival.
    const range = query({ from: iso(base - MINUTE), to: iso(base + 40 * MINUTE) });
    const response = await rest(server, 'GET', `/analytics/data-quality${range}`, { token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.headers.get('x-cache')).toBe('MISS');
    const report = response.body;
    expect(report.events).toBe(10);
    expect(report.completeness).toEqual({
      score: 0.9, // 1 − (1/10 missing identity + 1/10 missing session) / 2
      missingIdentity: { count: 1, rate: 0.1 },
      missingSession: { count: 1, rate: 0.1 },
      fields: {
        userId: { count: 2, rate: 0.2 }, // events 2 and 3
        anonymousId: { count: 9, rate: 0.9 },
        sessionId: { count: 1, rate: 0.1 },
        productId: { count: 8, rate: 0.8 }, // all but 4 and 5
        currency: { count: 7, rate: 0.7 }, // all but 4, 5 and 10
      },
    });
    expect(report.validity).toEqual({
      score: 0.6, // events 2 (future), 4 (negative price), 9 (signup), 10 (absurd price)
      invalidEvents: { count: 4, rate: 0.4 },
      negativePrice: 1,
      absurdPrice: 1,
      negativeQuantity: 0,
      absurdQuantity: 0,
      futureTimestamps: 1,
      unknownTypes: {
        checked: true,
        knownTypes: ['add_to_cart', 'page_view', 'purchase'],
        count: 1,
        top: [{ type: 'signup', count: 1 }],
      },
    });
    // Lags 0 (event 2, stamped after arrival), 2 × 8, 100 (event 10). percentile_cont:
    // p50 at rank 4.5 → 2; p95 at rank 8.55 → 2 + 0.55 × (100 − 2) = 55.9; warning band.
    expect(report.timeliness.lagSeconds.p50).toBe(2);
    expect(report.timeliness.lagSeconds.p95).toBeCloseTo(55.9, 6);
    expect(report.timeliness.lagSeconds.max).toBe(100);
    expect(report.timeliness.status).toBe('warning');
    expect(report.timeliness.score).toBe(0.4);
    expect(report.timeliness.lastEventAt).toBe(at(10));
    // Three batches: 10 accepted; 1 duplicate; 1 duplicate and 1 rejected.
    expect(report.consistency).toEqual({
      score: expect.closeTo(10 / 13, 12),
      batches: 3,
      accepted: 10,
      duplicates: 2,
      rejected: 1,
      duplicateRate: 2 / 13,
      rejectedRate: 1 / 13,
    });
    // Purchases 5 and 10 comply; 6 (orderId a number), 7 (no orderId, coupon too long) and
    // 8 (extra key) do not.
    expect(report.schemaCompliance).toEqual({
      score: 0.4,
      sampleLimit: 2000,
      schemas: [
        {
          type: 'purchase',
          version: 1,
          events: 5,
          checked: 5,
          sampled: false,
          compliant: 2,
          complianceRate: 0.4,
          topViolations: [
            { path: 'coupon', reason: 'maxLength', count: 1 },
            { path: 'extra', reason: 'additionalProperties', count: 1 },
            { path: 'orderId', reason: 'required', count: 1 },
            { path: 'orderId', reason: 'type', count: 1 },
          ],
        },
      ],
    });
    // 0.25 × 0.9 + 0.25 × 0.6 + 0.15 × 0.4 + 0.15 × 10/13 + 0.2 × 0.4 = 0.6304 → 63.0
    expect(report.score).toBe(63);

    const again = await rest(server, 'GET', `/analytics/data-quality${range}`, { token });
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect(again.body).toEqual(report);

    // Rolled up, the events' hour is answered from the kept hourly counts: same figures.
    await recomputeEventRollups(server.app.pulse.database.db);
    const hour = Math.floor(base / HOUR) * HOUR;
    const wide = query({ from: iso(hour - HOUR), to: iso(hour + 2 * HOUR) });
    const kept = (await rest(server, 'GET', `/analytics/data-quality${wide}`, { token })).body;
    for (const part of ['completeness', 'validity', 'consistency', 'schemaCompliance'] as const) {
      expect(kept[part], part).toEqual(report[part]);
    }
    expect(kept.timeliness.lagSeconds).toEqual(report.timeliness.lagSeconds);
    expect([kept.events, kept.score]).toEqual([10, 63]);

    // A new schema version makes the cached report stale: event 8's extra key is now allowed.
    await rest(server, 'PUT', '/analytics/schemas/purchase', {
      token,
      body: { schema: { ...purchaseSchema, additionalProperties: true } },
    });
    const fresh = await rest(server, 'GET', `/analytics/data-quality${range}`, { token });
    expect(fresh.headers.get('x-cache')).toBe('MISS');
    expect(fresh.body.schemaCompliance.schemas[0]).toMatchObject({ version: 2, compliant: 3 });
    // The kept counts do not depend on the schemas: the wide range follows the new version too.
    const keptAfter = (await rest(server, 'GET', `/analytics/data-quality${wide}`, { token })).body;
    for (const part of ['completeness', 'validity', 'schemaCompliance'] as const) {
      expect(keptAfter[part], part).toEqual(fresh.body[part]);
    }
  });

  it('leaves out what does not apply, and refuses bad ranges by name', async () => {
    const owner = await registerOwner(server);
    const empty = await rest(server, 'GET', '/analytics/data-quality', {
      token: owner.accessToken,
    });
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({
      events: 0,
      score: null,
      validity: { score: null, unknownTypes: { checked: false, knownTypes: [] } },
      schemaCompliance: { score: null, schemas: [] },
    });
    const reversed = await rest(
      server,
      'GET',
      `/analytics/data-quality${query({ from: iso(Date.now()), to: iso(Date.now() - MINUTE) })}`,
      { token: owner.accessToken },
    );
    expect(reversed.status).toBe(400);
    expect(reversed.body.data.issues[0].path).toBe('from');
    const notADate = await rest(server, 'GET', '/analytics/data-quality?from=yesterday', {
      token: owner.accessToken,
    });
    expect(notADate.status).toBe(400);
    expect(notADate.body.data.issues[0].path).toBe('from');
  });
});

describe('analytics.latency', () => {
  const server = useTestServer();

  it('reports lag per minute of arrival with bands', async () => {
    const owner = await registerOwner(server);
    const minute = Math.floor(Date.now() / MINUTE) * MINUTE;
    const early = minute - 3 * MINUTE;
    const late = minute - MINUTE;
    const arrival = (start: number, lagSeconds: number) => ({
      type: 'page_view',
      receivedAt: start + 30_000,
      timestamp: start + 30_000 - lagSeconds * 1000,
    });
    await insertStored(server, owner.workspaceId, [
      arrival(early, 1),
      arrival(early, 3),
      arrival(late, 10),
      arrival(late, 50),
      arrival(late, 200),
      // A backfill (stamped two days before it arrived) is not latency.
      arrival(late, 2 * 86_400),
    ]);
    const other = await registerOwner(server);
    await insertStored(server, other.workspaceId, [arrival(late, 5_000)]);

    const response = await rest(server, 'GET', '/analytics/latency?minutes=5', {
      token: owner.accessToken,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const body = response.body;
    expect(body.thresholds).toEqual({ excellent: 5, good: 30, warning: 120 });
    expect(body.series).toHaveLength(5);
    const at = (start: number) =>
      body.series.find((entry: { minute: string }) => entry.minute === iso(start));
    // Early minute: lags 1 and 3 → p50 2, p95 1 + 0.95 × 2 = 2.9.
    expect(at(early)).toEqual({
      minute: iso(early),
      events: 2,
      p50Seconds: 2,
      p95Seconds: expect.closeTo(2.9, 9),
      maxSeconds: 3,
      status: 'excellent',
    });
    // Late minute: 10, 50, 200 → p50 50, p95 at rank 1.9 → 50 + 0.9 × 150 = 185.
    expect(at(late)).toEqual({
      minute: iso(late),
      events: 3,
      p50Seconds: 50,
      p95Seconds: expect.closeTo(185, 9),
      maxSeconds: 200,
      status: 'critical',
    });
    expect(at(late + MINUTE)).toMatchObject({ events: 0, p95Seconds: null, status: null });
    // All five: 1, 3, 10, 50, 200 → p50 10, p95 at rank 3.8 → 50 + 0.8 × 150 = 170.
    expect(body.overall).toEqual({
      events: 5,
      p50Seconds: 10,
      p95Seconds: expect.closeTo(170, 9),
      maxSeconds: 200,
      status: 'critical',
    });
    const cached = await rest(server, 'GET', '/analytics/latency?minutes=5', {
      token: owner.accessToken,
    });
    expect(cached.headers.get('x-cache')).toBe('HIT');

    const tooMany = await rest(server, 'GET', '/analytics/latency?minutes=5000', {
      token: owner.accessToken,
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.data.issues[0].path).toBe('minutes');
  });
});
