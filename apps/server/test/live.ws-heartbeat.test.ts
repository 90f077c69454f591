import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { useTestServer } from './harness.js';

describe('WebSocket heartbeats', () => {
  const server = useTestServer({ WS_HEARTBEAT_MS: '1000' });
  const sockets: WebSocket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.terminate();
  });

  const connect = async (options: WebSocket.ClientOptions = {}) => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/trpc`, options);
    sockets.push(socket);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return socket;
  };

  it('pings every WS_HEARTBEAT_MS and keeps a client that answers', async () => {
    const socket = await connect();
    let pings = 0;
    socket.on('ping', () => {
      pings += 1;
    });
    // The first ping comes within one interval (its phase is random), then one per interval.
    await vi.waitFor(() => expect(pings).toBeGreaterThanOrEqual(2), { timeout: 4_500 });
    expect(socket.readyState).toBe(WebSocket.OPEN);
  });

  it('drops a client that stops answering', async () => {
    const socket = await connect({ autoPong: false });
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    let pinged = false;
    socket.on('ping', () => {
      pinged = true;
    });
    // Unanswered, the next beat (at most two intervals after connecting) ends it.
    expect(await closed).toBe(1006);
    expect(pinged).toBe(true);
  });
});
