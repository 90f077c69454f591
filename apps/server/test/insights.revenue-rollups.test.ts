import { recomputeEventRollups } from '@pulse/api';
import { describe, expect, it } from 'vitest';
import { registerOwner } from './accounts.js';
import { DAY, eventId, HOUR, ingest, iso } from './data-health.support.js';
import { rest, useTestServer } from './harness.js';

const today = Math.floor(Date.now() / DAY) * DAY;
const yesterday = today - DAY;

describe('insights.revenue segments over commerce rollups', () => {
  const server = useTestServer();

  it('ranks rolled-up and late purchases, and follows a change of the commerce settings', async () => {
    const owner = await registerOwner(server);
    const token = owner.accessToken;
    const purchase = (at: number, product: string, price: number, amount: number) => ({
      id: eventId('buy'),
      type: 'purchase',
      userId: 'u1',
      timestamp: iso(at),
      price,
      quantity: 2,
      currency: 'EUR',
      productId: product,
      properties: { amount },
    });
    // p1: 2 × 10 + 2 × 10 = 40 by price (amount 1 + 1 = 2); p2: 2 × 15 = 30 (amount 50).
    await ingest(server, token, [
      purchase(yesterday + 3 * HOUR, 'p1', 10, 1),
      purchase(yesterday + 5 * HOUR + 60_000, 'p2', 15, 50),
      { id: eventId('order'), type: 'order', timestamp: iso(yesterday + 4 * HOUR), price: 99 },
    ]);
    await recomputeEventRollups(server.app.pulse.database.db);
    // Arrives after the rollup run, in an hour already rolled up: read raw until rolled.
    await ingest(server, token, [purchase(yesterday + 3 * HOUR + 120_000, 'p1', 10, 1)]);

    const segments = async () => {
      const response = await rest(server, 'GET', '/insights/revenue?periods=2', {
        token,
        headers: { 'cache-control': 'no-cache' },
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body.segments.byProduct.map((s: { key: string; revenue: number }) => [
        s.key,
        s.revenue,
      ]);
    };
    expect(await segments()).toEqual([
      ['p1', 40],
      ['p2', 30],
    ]);
    await recomputeEventRollups(server.app.pulse.database.db);
    expect(await segments()).toEqual([
      ['p1', 40],
      ['p2', 30],
    ]);

    // Another price source: the rollups hold price × quantity only, so the raw events answer.
    const settings = await rest(server, 'PUT', '/analytics/settings', {
      token,
      body: { priceField: 'properties.amount' },
    });
    expect(settings.status).toBe(200);
    const cached = await rest(server, 'GET', '/insights/revenue?periods=2', { token });
    expect(cached.body.segments.byProduct).toEqual([
      { key: 'p2', revenue: 100, orders: 1, share: 100 / 104 },
      { key: 'p1', revenue: 4, orders: 2, share: 4 / 104 },
    ]);
    // Another purchase type is answered from the same rollup rows.
    await rest(server, 'PUT', '/analytics/settings', { token, body: { purchaseType: 'order' } });
    expect(await segments()).toEqual([[null, 99]]);
  });
});
