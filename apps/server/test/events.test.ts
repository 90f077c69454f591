import { beforeAll, describe, expect, it } from 'vitest';
import { type Account, createApiKey, registerOwner } from './accounts.js';
import { rest, uniqueEmail, useTestServer } from './harness.js';

interface Session {
  accessToken: string;
  workspace: { id: string };
}

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

describe('events: ingest, idempotency, listing', () => {
  const server = useTestServer();
  let owner: Account;
  let ingestKey: string;
  let readKey: string;

  beforeAll(async () => {
    owner = await registerOwner(server, 'events');
    ingestKey = await createApiKey(server, owner, 'ingest');
    readKey = await createApiKey(server, owner, 'read');
  });

  const batch = (events: unknown[], options: { partial?: boolean; token?: string } = {}) =>
    rest(server, 'POST', '/events/batch', {
      token: options.token ?? ingestKey,
      body: { events, ...(options.partial === undefined ? {} : { partial: options.partial }) },
    });

  it('ingests one event and answers {id, duplicate}; the same id again is a duplicate', async () => {
    const event = {
      id: 'single-1',
      type: 'page_view',
      userId: 'u1',
      properties: { path: '/home' },
    };
    const first = await rest(server, 'POST', '/events', { token: ingestKey, body: event });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({ id: 'single-1', duplicate: false });
    const again = await rest(server, 'POST', '/events', {
      token: ingestKey,
      body: { ...event, type: 'changed' },
    });
    expect(again.body).toEqual({ id: 'single-1', duplicate: true });
    const stored = await rest(server, 'GET', '/events/single-1', { token: readKey });
    expect(stored.body).toMatchObject({
      id: 'single-1',
      type: 'page_view',
      userId: 'u1',
      properties: { path: '/home' },
    });
    expect(Date.parse(stored.body.receivedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('reports new and duplicate counts for a retried batch, including repeats inside one batch', async () => {
    const events = Array.from({ length: 50 }, (_, i) => ({
      id: `b1-${i}`,
      type: 'add_to_cart',
      timestamp: minutesAgo(5),
    }));
    const first = await batch([...events, events[0]]);
    expect(first.body).toEqual({ accepted: 50, duplicates: 1, rejected: [] });
    const retry = await batch(events);
    expect(retry.body).toEqual({ accepted: 0, duplicates: 50, rejected: [] });
  });

  it('stores each event exactly once under a retry storm (same batch 5 times concurrently)', async () => {
    const events = Array.from({ length: 200 }, (_, i) => ({
      id: `storm-${i}`,
      type: 'purchase',
      price: 10,
      quantity: 1,
    }));
    const results = await Promise.all(Array.from({ length: 5 }, () => batch(events)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.reduce((sum, r) => sum + r.body.accepted, 0)).toBe(200);
    expect(results.reduce((sum, r) => sum + r.body.duplicates, 0)).toBe(800);
    let seen = 0;
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof rest>> = await rest(
        server,
        'GET',
        `/events?type=purchase&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        { token: readKey },
      );
      seen += page.body.items.filter((e: { id: string }) => e.id.startsWith('storm-')).length;
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toBe(200);
  });

  it('rejects a batch with invalid items by index and stores nothing, unless partial', async () => {
    const events = [
      { id: 'p-ok-1', type: 'page_view' },
      { id: 'p-bad-1', type: 'page_view', price: -5 },
      { id: 'p-ok-2', type: 'page_view' },
      { type: 'no_id' },
      { id: 'p-bad-2', type: 'x', timestamp: 'yesterday', extra: 1 },
    ];
    const strict = await batch(events);
    expect(strict.status).toBe(400);
    const paths = strict.body.data.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'events.1.price',
        'events.3.id',
        'events.4.timestamp',
        'events.4.extra',
      ]),
    );
    expect((await rest(server, 'GET', '/events/p-ok-1', { token: readKey })).status).toBe(404);

    const partial = await batch(events, { partial: true });
    expect(partial.status).toBe(200);
    expect(partial.body.accepted).toBe(2);
    expect(new Set(partial.body.rejected.map((r: { index: number }) => r.index))).toEqual(
      new Set([1, 3, 4]),
    );
    expect((await rest(server, 'GET', '/events/p-ok-1', { token: readKey })).status).toBe(200);
  });

  it('never coerces JSON body values: null, strings and booleans are not numbers', async () => {
    for (const price of [null, '12', true]) {
      const response = await rest(server, 'POST', '/events', {
        token: ingestKey,
        body: { id: `coerce-${String(price)}`, type: 'purchase', price },
      });
      expect(response.status, `price ${JSON.stringify(price)}`).toBe(400);
      expect(response.body.data.issues[0].path).toBe('price');
    }
  });

  it('refuses timestamps far in the future and batches over 1,000 events', async () => {
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const one = await rest(server, 'POST', '/events', {
      token: ingestKey,
      body: { id: 'fut', type: 't', timestamp: future },
    });
    expect(one.status).toBe(400);
    expect(one.body.data.issues[0].path).toBe('timestamp');
    const tooMany = await batch(
      Array.from({ length: 1001 }, (_, i) => ({ id: `many-${i}`, type: 't' })),
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.data.issues[0].path).toBe('events');
  });

  it('lists newest first with type, user, time and property filters and stable cursors', async () => {
    const events = Array.from({ length: 12 }, (_, i) => ({
      id: `list-${String(i).padStart(2, '0')}`,
      type: i % 2 === 0 ? 'search' : 'click',
      userId: i < 6 ? 'alice' : 'bob',
      // pairs share a timestamp so the id must break ties
      timestamp: minutesAgo(30 - Math.floor(i / 2)),
      properties: { plan: i % 3 === 0 ? 'pro' : 'free', n: i },
    }));
    expect((await batch(events)).body.accepted).toBe(12);
    const from = minutesAgo(31);
    const collected: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof rest>> = await rest(
        server,
        'GET',
        `/events?from=${encodeURIComponent(from)}&limit=5${cursor ? `&cursor=${cursor}` : ''}`,
        { token: readKey },
      );
      collected.push(
        ...page.body.items
          .map((e: { id: string }) => e.id)
          .filter((id: string) => id.startsWith('list-')),
      );
      cursor = page.body.nextCursor;
    } while (cursor);
    const expected = [...events]
      .sort((a, b) => b.timestamp.localeCompare(a.timestamp) || b.id.localeCompare(a.id))
      .map((e) => e.id);
    expect(collected).toEqual(expected);

    const bobSearches = await rest(server, 'GET', '/events?type=search&userId=bob', {
      token: readKey,
    });
    expect(bobSearches.body.items.map((e: { id: string }) => e.id)).toEqual([
      'list-10',
      'list-08',
      'list-06',
    ]);
    const pro = await rest(server, 'GET', '/events?property=plan%3Dpro&property=n%3D9', {
      token: readKey,
    });
    expect(pro.body.items.map((e: { id: string }) => e.id)).toEqual(['list-09']);
  });

  it('enforces key scopes and roles', async () => {
    expect((await rest(server, 'GET', '/events', { token: ingestKey })).status).toBe(403);
    expect(
      (await rest(server, 'POST', '/events', { token: readKey, body: { id: 'x', type: 't' } }))
        .status,
    ).toBe(403);
    expect((await rest(server, 'GET', '/users/me', { token: readKey })).status).toBe(403);
    expect(
      (
        await rest(server, 'GET', '/events', {
          token: 'pk_notarealkeyxx_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        })
      ).status,
    ).toBe(401);
    const invite = await rest(server, 'POST', '/workspaces/invites', {
      token: owner.accessToken,
      body: { role: 'viewer' },
    });
    const viewer = await rest(server, 'POST', '/auth/register', {
      body: {
        email: uniqueEmail('viewer'),
        password: 'viewer-password',
        name: 'V',
        inviteCode: invite.body.inviteCode,
      },
    });
    expect((await rest(server, 'GET', '/events', { token: viewer.body.accessToken })).status).toBe(
      200,
    );
    expect(
      (
        await rest(server, 'POST', '/events', {
          token: viewer.body.accessToken,
          body: { id: 'v', type: 't' },
        })
      ).status,
    ).toBe(403);
  });

  it('stops accepting a revoked key', async () => {
    const created = await rest(server, 'POST', '/api-keys', {
      token: owner.accessToken,
      body: { name: 'temp', scope: 'ingest' },
    });
    expect(
      (
        await rest(server, 'POST', '/events', {
          token: created.body.key,
          body: { id: 'k1', type: 't' },
        })
      ).status,
    ).toBe(200);
    const revoke = await rest(server, 'DELETE', `/api-keys/${created.body.id}`, {
      token: owner.accessToken,
    });
    expect(revoke.status).toBe(200);
    expect(
      (
        await rest(server, 'POST', '/events', {
          token: created.body.key,
          body: { id: 'k2', type: 't' },
        })
      ).status,
    ).toBe(401);
    const listed = await rest(server, 'GET', '/api-keys', { token: owner.accessToken });
    const entry = listed.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(entry.revokedAt).not.toBeNull();
    expect(entry.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
  });

  describe('across workspaces', () => {
    it('cannot see or collide with another workspace’s events', async () => {
      const other: Session = (
        await rest(server, 'POST', '/auth/register', {
          body: { email: uniqueEmail('other'), password: 'other-password', name: 'Otto' },
        })
      ).body;
      // The same client id in another workspace is a different event, not a duplicate.
      const mine = await rest(server, 'POST', '/events', {
        token: other.accessToken,
        body: { id: 'single-1', type: 'other' },
      });
      expect(mine.body).toEqual({ id: 'single-1', duplicate: false });
      const seen = await rest(server, 'GET', '/events/single-1', { token: other.accessToken });
      expect(seen.body.type).toBe('other');
      const list = await rest(server, 'GET', '/events?limit=200', { token: other.accessToken });
      expect(list.body.items.map((e: { id: string }) => e.id)).toEqual(['single-1']);
      expect(
        (await rest(server, 'GET', '/events/storm-1', { token: other.accessToken })).status,
      ).toBe(404);
    });
  });
});
