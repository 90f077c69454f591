import { afterEach, describe, expect, it, vi } from 'vitest';
import { rest, useTestServer } from './harness.js';
import {
  connectWs,
  createApiKey,
  eventDto,
  eventually,
  publish,
  record,
  registerOwner,
  waitForSubscribers,
} from './live.support.js';

// Batches over 64 items travel on the bus as a reference to their stream entry, read once per
// process (live.publisher.ts, live.fanout.ts); smaller ones travel inline.
describe('live feeds: bulky batches', () => {
  const server = useTestServer();
  const clients: Array<{ close(): void }> = [];
  const connect = (token: string) => {
    const connection = connectWs(server, token);
    clients.push(connection);
    return connection;
  };
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  it('delivers a bulky batch between small ones, in order, and replays it on resume', async () => {
    const owner = await registerOwner(server);
    const { client } = connect(owner.accessToken);
    const all = record((h) => client.live.events.subscribe({}, h));
    const purchases = record((h) => client.live.events.subscribe({ types: ['purchase'] }, h));
    await waitForSubscribers(server, owner.workspaceId, 2);

    const small = [eventDto()];
    // 100 events, every 25th a purchase: indexes 0, 25, 50, 75 → 4 purchases.
    const bulky = Array.from({ length: 100 }, (_, i) =>
      eventDto(i % 25 === 0 ? { type: 'purchase', price: i } : {}),
    );
    const last = [eventDto({ type: 'purchase' })];
    await publish(server, owner.workspaceId, small);
    await publish(server, owner.workspaceId, bulky);
    // Arrives on its own, not only once a later message reveals the hole it left.
    await vi.waitFor(() => expect(all.messages).toHaveLength(2), eventually);
    await publish(server, owner.workspaceId, last);

    await vi.waitFor(() => expect(all.messages).toHaveLength(3), eventually);
    expect(all.messages.map((m) => m.data.events)).toEqual([small, bulky, last]);
    await vi.waitFor(() => expect(purchases.messages).toHaveLength(2), eventually);
    expect(purchases.messages[0]?.data.events.map((e: { price: number }) => e.price)).toEqual([
      0, 25, 50, 75,
    ]);
    expect(purchases.messages[1]?.data.events).toEqual(last);

    const resumed = record((h) =>
      client.live.events.subscribe({ lastEventId: all.messages[0]?.id }, h),
    );
    await vi.waitFor(() => expect(resumed.messages).toHaveLength(2), eventually);
    expect(resumed.messages.map((m) => m.id)).toEqual(all.messages.slice(1).map((m) => m.id));
    expect(resumed.messages[0]?.data.events).toEqual(bulky);
  });

  it('publishes what an ingest stored: each new event once, with the server’s receivedAt', async () => {
    const owner = await registerOwner(server);
    const ingestKey = await createApiKey(server, owner, 'ingest');
    const { client } = connect(owner.accessToken);
    const feed = record((h) => client.live.events.subscribe({}, h));
    await waitForSubscribers(server, owner.workspaceId, 1);

    const before = await rest(server, 'POST', '/events', {
      token: ingestKey,
      body: { id: 'bulk-seen', type: 'page_view' },
    });
    expect(before.status).toBe(200);
    // 120 events: one already stored, one repeated inside the batch → 118 new, 2 duplicates.
    const timestamp = '2026-01-02T03:04:05+02:00';
    const events = [
      { id: 'bulk-seen', type: 'page_view' },
      ...Array.from({ length: 118 }, (_, i) => ({ id: `bulk-${i}`, type: 'view', timestamp })),
      { id: 'bulk-0', type: 'changed' },
    ];
    const started = Date.now();
    const stored = await rest(server, 'POST', '/events/batch', {
      token: ingestKey,
      body: { events },
    });
    expect(stored.body).toEqual({ accepted: 118, duplicates: 2, rejected: [] });

    await vi.waitFor(() => expect(feed.messages).toHaveLength(2), eventually);
    const published = feed.messages[1]?.data.events as Array<Record<string, unknown>>;
    expect(published.map((e) => e.id)).toEqual(events.slice(1, 119).map((e) => e.id));
    // The first copy of bulk-0 was stored, offset normalised to UTC.
    expect(published[0]).toMatchObject({ type: 'view', timestamp: '2026-01-02T01:04:05.000Z' });
    const receivedAt = Date.parse(published[0]?.receivedAt as string);
    expect(receivedAt).toBeGreaterThanOrEqual(started - 1000);
    const one = await rest(server, 'GET', '/events/bulk-0', { token: owner.accessToken });
    expect(one.body).toMatchObject({
      type: 'view',
      timestamp: '2026-01-02T01:04:05.000Z',
      receivedAt: published[0]?.receivedAt,
    });
  });
});
