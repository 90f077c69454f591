import { get, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTestServer } from './harness.js';
import {
  connectWs,
  eventDto,
  eventually,
  publish,
  record,
  registerOwner,
  waitForSubscribers,
} from './live.support.js';

// 200 events of ~1 KB: one 200 KB message per publish.
const bigBatch = () =>
  Array.from({ length: 200 }, () => eventDto({ properties: { pad: 'x'.repeat(1_000) } }));

describe('live feeds: clients that stop reading', () => {
  const server = useTestServer({
    LIVE_SLOW_CONSUMER_BYTES: String(64 * 1024),
    LIVE_SLOW_CONSUMER_MS: '300',
  });
  const closers: Array<() => void> = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  /** Publishes big batches until the server has dropped `drops` slow consumers in all. */
  async function floodUntilDropped(workspaceId: string, drops: number) {
    const sent: string[] = [];
    for (let i = 0; i < 200 && server.app.pulse.live.stats().slowConsumersDropped < drops; i++) {
      const batch = bigBatch();
      sent.push(batch[0]?.id ?? '');
      await publish(server, workspaceId, batch);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await vi.waitFor(
      () => expect(server.app.pulse.live.stats().slowConsumersDropped).toBe(drops),
      eventually,
    );
    return sent;
  }

  it('drops a WebSocket that never reads; it resumes without loss once it reads again', async () => {
    const owner = await registerOwner(server);
    const slow = connectWs(server, owner.accessToken);
    const healthy = connectWs(server, owner.accessToken);
    closers.push(slow.close, healthy.close);
    const stalled = record((h) => slow.client.live.events.subscribe({}, h));
    const reading = record((h) => healthy.client.live.events.subscribe({}, h));
    await waitForSubscribers(server, owner.workspaceId, 2);

    slow.sockets[0]?.pause(); // stops reading from the network; the server's queue fills
    const sent = await floodUntilDropped(owner.workspaceId, 1);
    await waitForSubscribers(server, owner.workspaceId, 1); // only the reader is left

    const firstIds = (feed: typeof reading) => feed.messages.map((m) => m.data.events[0].id);
    await vi.waitFor(() => expect(reading.messages).toHaveLength(sent.length), eventually);
    expect(firstIds(reading)).toEqual(sent);
    expect(reading.errors).toEqual([]);

    // Reading again, the client sees the drop, reconnects with its last id and catches up.
    slow.sockets[0]?.resume();
    await vi.waitFor(() => expect(stalled.messages).toHaveLength(sent.length), eventually);
    expect(firstIds(stalled)).toEqual(sent);
    expect(slow.sockets).toHaveLength(2);
  });

  it('drops an SSE client that never reads', async () => {
    const owner = await registerOwner(server);
    // node:http rather than fetch: a paused response stops reading from the socket.
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = get(`${server.url}/api/v1/stream/events`, {
        headers: { authorization: `Bearer ${owner.accessToken}` },
      });
      request.on('response', resolve).on('error', reject);
      closers.push(() => request.destroy());
    });
    expect(response.statusCode).toBe(200);
    response.pause();
    response.on('error', () => {}); // the server's drop resets the connection
    await waitForSubscribers(server, owner.workspaceId, 1);
    const before = server.app.pulse.live.stats().slowConsumersDropped;
    await floodUntilDropped(owner.workspaceId, before + 1);
    await waitForSubscribers(server, owner.workspaceId, 0);
  });
});
