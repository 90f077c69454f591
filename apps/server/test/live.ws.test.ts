import { compareStreamIds } from '@pulse/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTestServer } from './harness.js';
import {
  connectWs,
  createApiKey,
  eventDto,
  eventually,
  join,
  publish,
  publishPoints,
  record,
  registerOwner,
  waitForSubscribers,
} from './live.support.js';

describe('live feeds over WebSocket', () => {
  const server = useTestServer({ LIVE_REPLAY_LENGTH: '10' });
  const clients: Array<{ close(): void }> = [];
  const connect = (token?: string, retryDelayMs?: number) => {
    const connection = connectWs(server, token, retryDelayMs);
    clients.push(connection);
    return connection;
  };
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  it('delivers each ingest batch as one message, filtered by type', async () => {
    const owner = await registerOwner(server);
    const viewer = await join(server, owner, 'viewer');
    const { client } = connect(viewer.accessToken);
    const all = record((h) => client.live.events.subscribe(undefined, h));
    const purchases = record((h) => client.live.events.subscribe({ types: ['purchase'] }, h));
    await waitForSubscribers(server, owner.workspaceId, 2);
    const writtenByFanout = () => server.app.pulse.live.stats().framesWrittenByFanout;
    const before = writtenByFanout();

    const batch = [
      eventDto(),
      eventDto({ type: 'purchase', price: 9.5 }),
      eventDto({ type: 'purchase' }),
    ];
    await publish(server, owner.workspaceId, batch);
    await publish(server, owner.workspaceId, [eventDto()]); // nothing for the purchase feed
    await vi.waitFor(() => expect(all.messages).toHaveLength(2), eventually);
    expect(all.messages[0]?.data).toEqual({ kind: 'events', events: batch });
    await vi.waitFor(() => expect(purchases.messages).toHaveLength(1), eventually);
    expect(purchases.messages[0]?.data.events.map((e: { id: string }) => e.id)).toEqual([
      batch[1]?.id,
      batch[2]?.id,
    ]);
    expect(purchases.messages[0]?.id).toBe(all.messages[0]?.id);
    expect(compareStreamIds(all.messages[1]?.id ?? '', all.messages[0]?.id ?? '')).toBeGreaterThan(
      0,
    );
    // Both subscriptions share one socket and were waiting: the fan-out wrote all three frames
    // itself, each to the subscription it belongs to (the filters above prove the addressing).
    expect(writtenByFanout() - before).toBe(3);
  });

  it('keeps workspaces apart', async () => {
    const [mine, theirs] = [await registerOwner(server), await registerOwner(server)];
    const { client } = connect(mine.accessToken);
    const feed = record((h) => client.live.events.subscribe({}, h));
    await waitForSubscribers(server, mine.workspaceId, 1);
    await publish(server, theirs.workspaceId, [eventDto({ type: 'secret' })]);
    await publish(server, mine.workspaceId, [eventDto({ type: 'marker' })]);
    await vi.waitFor(() => expect(feed.messages).toHaveLength(1), eventually);
    expect(feed.messages[0]?.data.events[0].type).toBe('marker');
  });

  it('filters metric points by name', async () => {
    const owner = await registerOwner(server);
    const key = await createApiKey(server, owner, 'read');
    const { client } = connect(key);
    const feed = record((h) => client.live.metrics.subscribe({ names: ['cpu'] }, h));
    await waitForSubscribers(server, owner.workspaceId, 1);
    const at = new Date().toISOString();
    await publishPoints(server, owner.workspaceId, [
      { id: '1', name: 'cpu', value: 0.5, tags: { host: 'a' }, timestamp: at },
      { id: '2', name: 'mem', value: 512, tags: {}, timestamp: at },
    ]);
    await vi.waitFor(() => expect(feed.messages).toHaveLength(1), eventually);
    expect(feed.messages[0]?.data).toEqual({
      kind: 'metrics',
      points: [{ id: '1', name: 'cpu', value: 0.5, tags: { host: 'a' }, timestamp: at }],
    });
  });

  it('resumes after lastEventId with exactly the missed messages, then live ones', async () => {
    const owner = await registerOwner(server);
    const { client } = connect(owner.accessToken);
    const first = record((h) => client.live.events.subscribe({}, h));
    await waitForSubscribers(server, owner.workspaceId, 1);
    const batches = Array.from({ length: 5 }, () => [eventDto()]);
    await publish(server, owner.workspaceId, batches[0] ?? []);
    await publish(server, owner.workspaceId, batches[1] ?? []);
    await vi.waitFor(() => expect(first.messages).toHaveLength(2), eventually);
    first.stop();
    await waitForSubscribers(server, owner.workspaceId, 0);

    await publish(server, owner.workspaceId, batches[2] ?? []); // missed while away
    await publish(server, owner.workspaceId, batches[3] ?? []);
    const lastEventId = first.messages[1]?.id;
    const resumed = record((h) => client.live.events.subscribe({ lastEventId }, h));
    await vi.waitFor(() => expect(resumed.messages).toHaveLength(2), eventually);
    await waitForSubscribers(server, owner.workspaceId, 1);
    await publish(server, owner.workspaceId, batches[4] ?? []);
    await vi.waitFor(() => expect(resumed.messages).toHaveLength(3), eventually);
    expect(resumed.messages.map((m) => m.data.events[0].id)).toEqual(
      batches.slice(2).map((batch) => batch[0]?.id),
    );
  });

  it('resumes by itself when the connection drops, without gaps or duplicates', async () => {
    const owner = await registerOwner(server);
    const { client, sockets } = connect(owner.accessToken, 300);
    const feed = record((h) => client.live.events.subscribe({}, h));
    await waitForSubscribers(server, owner.workspaceId, 1);
    const sent: string[] = [];
    const send = async () => {
      const event = eventDto();
      sent.push(event.id);
      await publish(server, owner.workspaceId, [event]);
    };
    for (let i = 0; i < 3; i++) await send();
    await vi.waitFor(() => expect(feed.messages).toHaveLength(3), eventually);
    sockets[0]?.terminate(); // the network goes away; the client retries after 300 ms
    await waitForSubscribers(server, owner.workspaceId, 0);
    for (let i = 0; i < 3; i++) await send();
    await vi.waitFor(() => expect(sockets.length).toBe(2), eventually);
    await waitForSubscribers(server, owner.workspaceId, 1);
    await send();
    await vi.waitFor(() => expect(feed.messages).toHaveLength(7), eventually);
    expect(feed.messages.map((m) => m.data.events[0].id)).toEqual(sent);
    expect(feed.errors).toEqual([]);
  });

  it('says so when lastEventId is older than the replay buffer holds', async () => {
    const owner = await registerOwner(server);
    const events = Array.from({ length: 250 }, () => eventDto());
    for (const event of events) await publish(server, owner.workspaceId, [event]);
    const { client } = connect(owner.accessToken);
    const tooOld = '1-0';
    const feed = record((h) => client.live.events.subscribe({ lastEventId: tooOld }, h));
    await vi.waitFor(
      () => expect(feed.messages.at(-1)?.data.events?.[0].id).toBe(events.at(-1)?.id),
      eventually,
    );
    expect(feed.messages[0]).toEqual({
      id: tooOld,
      data: { kind: 'gap', lastEventId: tooOld, message: expect.stringContaining('replay buffer') },
    });
    // Then the retained tail, in order, once each: at least the configured 10, not all 250.
    const replayed = feed.messages.slice(1).map((m) => m.data.events[0].id);
    expect(replayed.length).toBeGreaterThanOrEqual(10);
    expect(replayed.length).toBeLessThan(250);
    expect(replayed).toEqual(events.slice(-replayed.length).map((e) => e.id));
  });

  it('refuses subscriptions without a token, with an ingest key, or with a malformed id', async () => {
    const owner = await registerOwner(server);
    const anonymous = connect();
    const denied = record((h) => anonymous.client.live.events.subscribe({}, h));
    const ingestKey = await createApiKey(server, owner, 'ingest');
    const ingest = connect(ingestKey);
    const wrongScope = record((h) => ingest.client.live.overview.subscribe({}, h));
    const { client } = connect(owner.accessToken);
    const malformed = record((h) => client.live.events.subscribe({ lastEventId: 'yesterday' }, h));
    const noNames = record((h) => client.live.metrics.subscribe({ names: [] }, h));
    await vi.waitFor(() => {
      for (const feed of [denied, wrongScope, malformed, noNames])
        expect(feed.errors).toHaveLength(1);
    }, eventually);
    const codeOf = (feed: { errors: unknown[] }) =>
      (feed.errors[0] as { data?: { domainCode?: string } }).data?.domainCode;
    expect(codeOf(denied)).toBe('UNAUTHENTICATED');
    expect(codeOf(wrongScope)).toBe('FORBIDDEN');
    expect(codeOf(malformed)).toBe('VALIDATION_FAILED');
    expect((malformed.errors[0] as Error).message).toContain('lastEventId');
    expect((noNames.errors[0] as Error).message).toContain('names');
  });
});
