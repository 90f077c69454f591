import { createPulseClient } from '@pulse/sdk';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { rest, uniqueEmail, useTestServer } from './harness.js';

const eventually = { timeout: 8_000, interval: 25 };

describe('SDK subscriptions', () => {
  const server = useTestServer();

  it('delivers live events and resumes after a dropped socket with no gap and no duplicate', async () => {
    const sockets: WebSocket[] = [];
    class RecordedWebSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        sockets.push(this);
      }
    }
    const client = createPulseClient({
      url: server.url,
      WebSocket: RecordedWebSocket,
      reconnect: { minDelayMs: 50, maxDelayMs: 200 },
    });
    const session = await client.register({
      email: uniqueEmail('live'),
      password: 'sdk-live-password',
      name: 'Liv',
    });
    const received: string[] = [];
    const subscription = client.api.live.events.subscribe(
      { types: ['tick'] },
      {
        onData: ({ data }) => {
          if (data.kind === 'events') received.push(...data.events.map((event) => event.id));
        },
      },
    );
    const ingest = (id: string, type = 'tick') =>
      rest(server, 'POST', '/events', { token: session.accessToken, body: { id, type } });

    // The subscription is live once an event sent now arrives.
    await vi.waitFor(async () => {
      await ingest(`probe-${received.length}-${Date.now()}`);
      expect(received.length).toBeGreaterThan(0);
    }, eventually);

    await ingest('e1');
    await ingest('ignored', 'other');
    await vi.waitFor(() => expect(received).toContain('e1'), eventually);

    sockets[0]?.terminate();
    await ingest('e2');
    await ingest('e3');
    await vi.waitFor(() => expect(received).toContain('e3'), eventually);
    expect(sockets.length).toBeGreaterThan(1);
    expect(received.filter((id) => !id.startsWith('probe-'))).toEqual(['e1', 'e2', 'e3']);
    expect(new Set(received).size).toBe(received.length);
    subscription.unsubscribe();
    await client.close();
  });
});
