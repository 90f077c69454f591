import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, useTestServer } from './harness.js';
import {
  createApiKey,
  eventDto,
  eventually,
  openSse,
  publish,
  publishPoints,
  registerOwner,
  waitForSubscribers,
} from './live.support.js';

describe('live feeds as Server-Sent Events', () => {
  const server = useTestServer();
  const closers: Array<() => void> = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });
  const open = async (
    ...args: Parameters<typeof openSse> extends [unknown, ...infer R] ? R : never
  ) => {
    const stream = await openSse(server, ...args);
    closers.push(stream.close);
    return stream;
  };

  it('streams id/event/data frames filtered by a comma list, ahead of the REST catch-all', async () => {
    const owner = await registerOwner(server);
    const stream = await open('/stream/events?types=purchase,refund', { token: owner.accessToken });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['x-request-id']).toBeTruthy();
    await waitForSubscribers(server, owner.workspaceId, 1);
    const batch = [eventDto(), eventDto({ type: 'refund' }), eventDto({ type: 'purchase' })];
    await publish(server, owner.workspaceId, batch);
    await vi.waitFor(() => expect(stream.events).toHaveLength(1), eventually);
    expect(stream.events[0]).toEqual({
      id: expect.stringMatching(/^\d+-\d+$/),
      event: 'events',
      data: { kind: 'events', events: [batch[1], batch[2]] },
    });
    expect(stream.comments).toContain('connected');
  });

  it('resumes from Last-Event-ID with exactly the missed messages', async () => {
    const owner = await registerOwner(server);
    const first = await open('/stream/events', { token: owner.accessToken });
    await waitForSubscribers(server, owner.workspaceId, 1);
    const [a, b, c, d] = [eventDto(), eventDto(), eventDto(), eventDto()];
    await publish(server, owner.workspaceId, [a]);
    await vi.waitFor(() => expect(first.events).toHaveLength(1), eventually);
    first.close();
    await waitForSubscribers(server, owner.workspaceId, 0);
    await publish(server, owner.workspaceId, [b]);
    await publish(server, owner.workspaceId, [c]);
    const resumed = await open('/stream/events', {
      token: owner.accessToken,
      lastEventId: first.events[0]?.id,
    });
    await waitForSubscribers(server, owner.workspaceId, 1);
    await publish(server, owner.workspaceId, [d]);
    await vi.waitFor(() => expect(resumed.events).toHaveLength(3), eventually);
    expect(resumed.events.map((e) => e.data.events[0].id)).toEqual([b.id, c.id, d.id]);
  });

  it('answers bad requests with JSON errors naming the problem', async () => {
    const owner = await registerOwner(server);
    const ingestKey = await createApiKey(server, owner, 'ingest');
    const token = owner.accessToken;
    const cases = [
      { path: '/stream/events', options: {}, status: 401, code: 'UNAUTHENTICATED' },
      { path: '/stream/overview', options: { token: ingestKey }, status: 403, code: 'FORBIDDEN' },
      {
        path: '/stream/events',
        options: { token, lastEventId: 'latest' },
        status: 400,
        field: 'lastEventId',
      },
      { path: '/stream/metrics', options: { token }, status: 400, field: 'names' },
      {
        path: '/stream/metrics?names=bad%20name',
        options: { token },
        status: 400,
        field: 'names.0',
      },
      { path: '/stream/events?type=purchase', options: { token }, status: 400, field: 'type' },
      { path: '/stream/everything', options: { token }, status: 404, code: 'NOT_FOUND' },
    ];
    for (const { path, options, status, code, field } of cases) {
      const stream = await open(path, options);
      const body = await stream.json();
      expect(stream.status, path).toBe(status);
      if (code) expect(body.data.domainCode).toBe(code);
      if (field) expect(body.data.issues.map((i: { path: string }) => i.path)).toContain(field);
    }
  });
});

describe('SSE clients and shutdown', () => {
  it('serves the metrics feed to a read key through the eventsource package', async () => {
    const server = await startTestServer();
    const owner = await registerOwner(server);
    const key = await createApiKey(server, owner, 'read');
    // The package reads with fetch; the server ends the stream first (see openSse).
    const source = new EventSource(`${server.url}/api/v1/stream/metrics?names=cpu`, {
      fetch: (input, init) =>
        fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${key}` } }),
    });
    const received: Array<{ lastEventId: string; data: unknown }> = [];
    source.addEventListener('metrics', (event) =>
      received.push({ lastEventId: event.lastEventId, data: JSON.parse(event.data) }),
    );
    try {
      await waitForSubscribers(server, owner.workspaceId, 1);
      const at = new Date().toISOString();
      await publishPoints(server, owner.workspaceId, [
        { id: '7', name: 'mem', value: 1, tags: {}, timestamp: at },
        { id: '8', name: 'cpu', value: 0.25, tags: {}, timestamp: at },
      ]);
      await vi.waitFor(() => expect(received).toHaveLength(1), eventually);
      expect(received[0]).toEqual({
        lastEventId: expect.stringMatching(/^\d+-\d+$/),
        data: {
          kind: 'metrics',
          points: [{ id: '8', name: 'cpu', value: 0.25, tags: {}, timestamp: at }],
        },
      });
    } finally {
      await server.close();
      source.close();
    }
  });

  it('pings every WS_HEARTBEAT_MS and ends open streams when the server closes', async () => {
    const server = await startTestServer({ WS_HEARTBEAT_MS: '1000' });
    const owner = await registerOwner(server);
    const stream = await openSse(server, '/stream/overview', { token: owner.accessToken });
    try {
      await vi.waitFor(() => expect(stream.comments).toContain('ping'), eventually);
      expect(stream.events[0]?.data.kind).toBe('overview');
    } finally {
      await server.close(); // must not hang on the open stream
    }
    await stream.done;
    expect(server.app.pulse.live.stats().subscriptions).toBe(0);
  });
});
