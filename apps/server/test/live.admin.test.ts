import { afterEach, describe, expect, it, vi } from 'vitest';
import { rest, useTestServer } from './harness.js';
import {
  connectWs,
  createApiKey,
  eventually,
  join,
  openSse,
  record,
  registerOwner,
  waitForSubscribers,
} from './live.support.js';

describe('live overview and admin', () => {
  const server = useTestServer({ LIVE_OVERVIEW_INTERVAL_MS: '200' });
  const closers: Array<() => void> = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });
  const ws = (token: string) => {
    const connection = connectWs(server, token);
    closers.push(connection.close);
    return connection.client;
  };
  const sse = async (path: string, token: string) => {
    const stream = await openSse(server, path, { token });
    closers.push(stream.close);
    return stream;
  };

  it('computes the overview from stored events of the workspace', async () => {
    const owner = await registerOwner(server);
    const other = await registerOwner(server);
    const base = Date.now();
    const ago = (ms: number) => new Date(base - ms).toISOString();
    let n = 0;
    const row = (type: string, ms: number, extra: Record<string, unknown> = {}) => ({
      id: `ov-${++n}`,
      type,
      timestamp: ago(ms),
      ...extra,
    });
    const rows = [
      row('page_view', 5_000, { userId: 'u1' }),
      row('purchase', 20_000, { userId: 'u2', price: 10, quantity: 2 }),
      row('signup', 30_000, { userId: 'x', anonymousId: 'x' }),
      row('page_view', 40_000, { anonymousId: 'x' }), // a different person from user x
      row('error', 90_000, { anonymousId: 'a1' }),
      row('checkout_error', 200_000, { userId: 'u1' }),
      row('page_view', 600_000, { userId: 'u5' }),
      row('purchase', 1_200_000, { userId: 'u3', price: 5.5 }),
      row('purchase', 7_200_000, { userId: 'u4', price: 100 }), // older than an hour
      row('page_view', -600_000, { userId: 'future' }), // stamped ahead: after `at`
      row('nameless', 10_000), // neither id: no person
    ];
    for (const [account, events] of [
      [owner, rows],
      [other, [row('purchase', 1_000, { userId: 'z', price: 999 })]],
    ] as const) {
      const ingested = await rest(server, 'POST', '/events/batch', {
        token: account.accessToken,
        body: { events },
      });
      expect(ingested.status, JSON.stringify(ingested.body)).toBe(200);
    }

    const feed = record((h) => ws(owner.accessToken).live.overview.subscribe({}, h));
    await vi.waitFor(() => expect(feed.messages.length).toBeGreaterThan(0), eventually);
    const snapshot = feed.messages[0]?.data;
    expect(snapshot).toEqual({
      kind: 'overview',
      at: expect.any(String),
      ...expectedOverview(rows, Date.parse(snapshot.at)),
      connectedClients: 1,
    });
    expect(snapshot).toMatchObject({ activeUsers: 5, revenue: 25.5 }); // sanity of the helper

    // A second dashboard (SSE) shows up in the next snapshots of both.
    const second = await sse('/stream/overview', owner.accessToken);
    await vi.waitFor(() => expect(feed.messages.at(-1)?.data.connectedClients).toBe(2), eventually);
    await vi.waitFor(() => expect(second.events.at(-1)?.data.connectedClients).toBe(2), eventually);
    const ids = feed.messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(1); // snapshots keep the feed's position: no broadcast yet
  });

  it('counts live clients per channel and process, for admins only', async () => {
    const owner = await registerOwner(server);
    const admin = await join(server, owner, 'admin');
    const client = ws(admin.accessToken);
    record((h) => client.live.events.subscribe({}, h));
    record((h) => client.live.metrics.subscribe({ names: ['cpu'] }, h));
    const overview = await sse('/stream/overview', owner.accessToken);
    await waitForSubscribers(server, owner.workspaceId, 3);

    const counted = await rest(server, 'GET', '/admin/connections', { token: admin.accessToken });
    expect(counted.status).toBe(200);
    const one = { events: 1, metrics: 1, overview: 1, tower: 0, insights: 0 };
    expect(counted.body).toEqual({
      process: server.app.pulse.live.processId,
      total: 3,
      channels: one,
      processes: [
        {
          process: server.app.pulse.live.processId,
          total: 3,
          channels: one,
          reportedAt: expect.any(String),
        },
      ],
    });

    overview.close();
    await vi.waitFor(async () => {
      const after = await rest(server, 'GET', '/admin/connections', { token: owner.accessToken });
      expect(after.body.channels).toEqual({
        events: 1,
        metrics: 1,
        overview: 0,
        tower: 0,
        insights: 0,
      });
    }, eventually);

    const member = await join(server, owner, 'member');
    const readKey = await createApiKey(server, owner, 'read');
    for (const token of [member.accessToken, readKey]) {
      const refused = await rest(server, 'GET', '/admin/connections', { token });
      expect(refused.status).toBe(403);
    }
  });

  it('broadcasts to every WebSocket and SSE subscriber of the workspace', async () => {
    const owner = await registerOwner(server);
    const outsider = await registerOwner(server);
    const viewer = await join(server, owner, 'viewer');
    const events = record((h) => ws(viewer.accessToken).live.events.subscribe({}, h));
    const overview = await sse('/stream/overview', owner.accessToken);
    const elsewhere = record((h) => ws(outsider.accessToken).live.events.subscribe({}, h));
    await waitForSubscribers(server, owner.workspaceId, 2);
    await waitForSubscribers(server, outsider.workspaceId, 1);

    const sent = await rest(server, 'POST', '/admin/broadcast', {
      token: owner.accessToken,
      body: { message: 'Deploy at 18:00', level: 'warning' },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body).toEqual({ delivered: 2, at: expect.any(String) });
    const expected = {
      kind: 'broadcast',
      message: 'Deploy at 18:00',
      level: 'warning',
      from: { userId: owner.userId, name: owner.name },
      at: sent.body.at,
    };
    await vi.waitFor(
      () => expect(events.messages.map((m) => m.data)).toEqual([expected]),
      eventually,
    );
    await vi.waitFor(() => {
      expect(overview.events.filter((e) => e.event === 'broadcast').map((e) => e.data)).toEqual([
        expected,
      ]);
    }, eventually);
    expect(elsewhere.messages).toEqual([]);

    const audit = await rest(server, 'GET', '/workspaces/audit-log', { token: owner.accessToken });
    expect(audit.body.items[0]).toMatchObject({ action: 'live.broadcast' });

    for (const [token, body, status] of [
      [viewer.accessToken, { message: 'hi' }, 403],
      [owner.accessToken, { message: '  ' }, 400],
      [owner.accessToken, { message: 'hi', level: 'panic' }, 400],
    ] as const) {
      const refused = await rest(server, 'POST', '/admin/broadcast', { token, body });
      expect(refused.status, JSON.stringify(refused.body)).toBe(status);
    }
  });
});

interface Row {
  type: string;
  timestamp: string;
  userId?: string;
  anonymousId?: string;
  price?: number;
  quantity?: number;
}

/** The overview's definitions (see live.contract.ts), applied by hand to the inserted rows. */
function expectedOverview(rows: readonly Row[], at: number) {
  const within = (row: Row, ms: number) => {
    const t = Date.parse(row.timestamp);
    return t > at - ms && t <= at;
  };
  const lastFive = rows.filter((row) => within(row, 300_000));
  const people = lastFive
    .map((row) =>
      row.userId ? `u:${row.userId}` : row.anonymousId ? `a:${row.anonymousId}` : null,
    )
    .filter((person) => person !== null);
  const errors = lastFive.filter((row) => row.type === 'error' || row.type.endsWith('_error'));
  return {
    eventsPerMinute: rows.filter((row) => within(row, 60_000)).length,
    activeUsers: new Set(people).size,
    revenue: rows
      .filter((row) => row.type === 'purchase' && within(row, 3_600_000))
      .reduce((sum, row) => sum + (row.price ?? 0) * (row.quantity ?? 1), 0),
    errorRate: lastFive.length === 0 ? 0 : errors.length / lastFive.length,
  };
}
