import { LiveHub, type Stream } from '@pulse/api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rest, startTestServer, type TestServer, useTestServer } from './harness.js';
import {
  connectWs,
  eventDto,
  eventually,
  openSse,
  publish,
  record,
  registerOwner,
  waitForSubscribers,
} from './live.support.js';

const fast = { LIVE_PRESENCE_HEARTBEAT_MS: '200' };

describe('connection reports of other processes', () => {
  const server = useTestServer(fast);

  it('counts a process while it reports and forgets it three heartbeats after it stops', async () => {
    const owner = await registerOwner(server);
    // A second hub on the same infra reports exactly as another process would, until it
    // "crashes": from then on it cannot write anything, not even a goodbye.
    const { infra } = server.app.pulse;
    let crashed = false;
    const stream: Stream = {
      append: (...args) =>
        crashed ? Promise.reject(new Error('gone')) : infra.stream.append(...args),
      read: (...args) => infra.stream.read(...args),
      close: async () => {},
    };
    const other = new LiveHub({
      infra: { ...infra, stream },
      database: server.app.pulse.database,
      settings: { presenceHeartbeatMs: 200 },
    });
    const release = other.connections.track(owner.workspaceId, 'metrics');
    other.connections.track(owner.workspaceId, 'metrics');
    const processes = async () => {
      const counted = await rest(server, 'GET', '/admin/connections', { token: owner.accessToken });
      return counted.body.processes as Array<{ process: string; channels: object }>;
    };
    await vi.waitFor(async () => {
      expect(await processes()).toEqual([
        {
          process: other.processId,
          total: 2,
          channels: { events: 0, metrics: 2, overview: 0, tower: 0, insights: 0 },
          reportedAt: expect.any(String),
        },
      ]);
    }, eventually);
    release();
    await vi.waitFor(
      async () => expect((await processes())[0]?.channels).toMatchObject({ metrics: 1 }),
      eventually,
    );
    crashed = true;
    await other.close();
    await vi.waitFor(async () => expect(await processes()).toEqual([]), eventually);
  });
});

describe('a process shutting down', () => {
  // Heartbeats a minute apart: only the goodbye report can remove the process in time.
  const server = useTestServer({ LIVE_PRESENCE_HEARTBEAT_MS: '60000' });

  it('reports zero for its workspaces, so others stop counting it at once', async () => {
    const owner = await registerOwner(server);
    const other = new LiveHub({
      infra: server.app.pulse.infra,
      database: server.app.pulse.database,
      settings: { presenceHeartbeatMs: 60_000 },
    });
    other.connections.track(owner.workspaceId, 'events');
    const total = async () =>
      (await rest(server, 'GET', '/admin/connections', { token: owner.accessToken })).body.total;
    await vi.waitFor(async () => expect(await total()).toBe(1), eventually);
    await other.close();
    expect(await total()).toBe(0);
  });
});

// Two processes of one deployment need a shared database and Redis: PGlite and the
// in-process twins are per process. A plain `if`: with both set, failures must show.
if (process.env.DATABASE_URL && process.env.REDIS_URL) {
  describe('live feeds across server processes', () => {
    let a: TestServer;
    let b: TestServer;
    beforeAll(async () => {
      a = await startTestServer(fast);
      b = await startTestServer(fast, { shareWith: a });
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    it('delivers what process A publishes to subscribers on process B, resumable on A', async () => {
      const owner = await registerOwner(a);
      const onB = connectWs(b, owner.accessToken);
      try {
        const feed = record((h) => onB.client.live.events.subscribe({}, h));
        await waitForSubscribers(b, owner.workspaceId, 1);
        const [first, second] = [eventDto(), eventDto()];
        await publish(a, owner.workspaceId, [first]);
        await publish(b, owner.workspaceId, [second]); // two publishers, one ordered stream
        await vi.waitFor(() => expect(feed.messages).toHaveLength(2), eventually);
        expect(feed.messages.map((m) => m.data.events[0].id)).toEqual([first.id, second.id]);

        // A client that moves from B to A resumes from the id B gave it.
        const third = eventDto();
        await publish(a, owner.workspaceId, [third]);
        const onA = await openSse(a, '/stream/events', {
          token: owner.accessToken,
          lastEventId: feed.messages[1]?.id,
        });
        await vi.waitFor(() => expect(onA.events).toHaveLength(1), eventually);
        expect(onA.events[0]?.data.events[0].id).toBe(third.id);
        onA.close();
      } finally {
        onB.close();
      }
    });

    it('counts clients of every process and broadcasts to all', async () => {
      const owner = await registerOwner(a);
      const onA = await openSse(a, '/stream/overview', { token: owner.accessToken });
      const onB = connectWs(b, owner.accessToken);
      try {
        const feed = record((h) => onB.client.live.events.subscribe({}, h));
        await waitForSubscribers(a, owner.workspaceId, 1);
        await waitForSubscribers(b, owner.workspaceId, 1);
        const processes = [a.app.pulse.live.processId, b.app.pulse.live.processId].sort();
        await vi.waitFor(async () => {
          const counted = await rest(a, 'GET', '/admin/connections', { token: owner.accessToken });
          expect(counted.body.channels).toEqual({
            events: 1,
            metrics: 0,
            overview: 1,
            tower: 0,
            insights: 0,
          });
          expect(counted.body.processes.map((p: { process: string }) => p.process).sort()).toEqual(
            processes,
          );
        }, eventually);

        const sent = await rest(a, 'POST', '/admin/broadcast', {
          token: owner.accessToken,
          body: { message: 'both processes' },
        });
        expect(sent.body.delivered).toBe(2);
        await vi.waitFor(() => expect(feed.kinds()).toEqual(['broadcast']), eventually);
        await vi.waitFor(
          () => expect(onA.events.some((e) => e.data.message === 'both processes')).toBe(true),
          eventually,
        );
      } finally {
        onA.close();
        onB.close();
      }
    });
  });
}
