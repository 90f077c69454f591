import { getUntypedClient } from '@trpc/client';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createPulseClient, isPulseError, type PulseClient, pulseErrorCode } from '../src/index.js';
import { createFakePulse } from './support/fake-pulse.js';

const BASE = 'http://pulse.test';
type Fake = ReturnType<typeof createFakePulse>;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

function track(client: PulseClient, server?: Fake): PulseClient {
  cleanup.push(() => client.close());
  if (server) cleanup.push(() => server.stop());
  return client;
}

/** Requests other than the token procedures, with the token each came with. */
const apiRequests = (server: Fake) =>
  server.state.requests.filter((request) => !request.path.startsWith('auth.'));

describe('createPulseClient over HTTP', () => {
  it('refreshes once, before sending, when the access token expires within 30 s', async () => {
    const server = createFakePulse();
    const start = server.issue('ada', 10);
    const onTokens = vi.fn();
    const client = track(
      createPulseClient({
        url: BASE,
        fetch: server.fetch,
        accessToken: start.accessToken,
        refreshToken: start.refreshToken,
        onTokens,
      }),
    );

    const [me] = await Promise.all([
      client.api.users.me.query(),
      client.api.users.me.query(),
      client.api.workspaces.members.query({ limit: 5 }),
    ]);

    expect(me).toMatchObject({ id: 'ada' });
    expect(server.state.refreshCalls).toEqual([{ token: start.refreshToken, outcome: 'ok' }]);
    const tokens = client.tokens();
    expect(tokens?.accessToken).not.toBe(start.accessToken);
    expect(onTokens).toHaveBeenCalledExactlyOnceWith(tokens);
    expect(apiRequests(server).map((request) => request.token)).toEqual(
      Array(3).fill(tokens?.accessToken),
    );
    // One request for the refresh, one batch for the three calls.
    expect(server.state.httpRequests).toBe(2);
  });

  it('resumes a session from a refresh token alone', async () => {
    const server = createFakePulse();
    const start = server.issue('bob');
    const client = track(
      createPulseClient({ url: BASE, fetch: server.fetch, refreshToken: start.refreshToken }),
    );
    await expect(client.api.users.me.query()).resolves.toMatchObject({ id: 'bob' });
    expect(server.state.refreshCalls).toHaveLength(1);
  });

  it('on TOKEN_EXPIRED, refreshes once for all failed calls and retries each once', async () => {
    const server = createFakePulse();
    const start = server.issue('ada');
    server.state.expired.add(start.accessToken);
    const client = track(
      createPulseClient({
        url: BASE,
        fetch: server.fetch,
        accessToken: start.accessToken,
        refreshToken: start.refreshToken,
      }),
    );

    const results = await Promise.all([
      client.api.users.me.query(),
      client.api.users.me.query(),
      client.api.users.me.query(),
    ]);

    expect(results).toEqual(Array(3).fill({ id: 'ada', via: 'http' }));
    expect(server.state.refreshCalls).toHaveLength(1);
    const tokens = apiRequests(server).map((request) => request.token);
    expect(tokens).toEqual([
      ...Array(3).fill(start.accessToken),
      ...Array(3).fill(client.tokens()?.accessToken),
    ]);
  });

  it('retries only once', async () => {
    const server = createFakePulse();
    const start = server.issue('ada');
    server.state.expireAll = true;
    const client = track(
      createPulseClient({
        url: BASE,
        fetch: server.fetch,
        accessToken: start.accessToken,
        refreshToken: start.refreshToken,
      }),
    );
    const error = await client.api.users.me.query().catch((e: unknown) => e);
    expect(pulseErrorCode(error)).toBe('TOKEN_EXPIRED');
    expect(apiRequests(server)).toHaveLength(2);
    expect(server.state.refreshCalls).toHaveLength(1);
  });

  it('clears the tokens and reports null when the server refuses the refresh', async () => {
    const server = createFakePulse();
    const start = server.issue('ada', 5);
    server.state.refreshFailure = 'TOKEN_REUSED';
    const onTokens = vi.fn();
    const client = track(
      createPulseClient({
        url: BASE,
        fetch: server.fetch,
        accessToken: start.accessToken,
        refreshToken: start.refreshToken,
        onTokens,
      }),
    );
    const error = await client.api.users.me.query().catch((e: unknown) => e);
    expect(isPulseError(error, 'UNAUTHENTICATED')).toBe(true);
    expect(onTokens).toHaveBeenCalledExactlyOnceWith(null);
    expect(client.tokens()).toBeNull();
  });

  it('keeps the tokens when the refresh fails for network reasons', async () => {
    const server = createFakePulse();
    const start = server.issue('ada', 5);
    server.state.refreshFailure = 'NETWORK';
    const onTokens = vi.fn();
    const client = track(
      createPulseClient({
        url: BASE,
        fetch: server.fetch,
        accessToken: start.accessToken,
        refreshToken: start.refreshToken,
        onTokens,
      }),
    );
    await expect(client.api.users.me.query()).resolves.toMatchObject({ id: 'ada' });
    expect(onTokens).not.toHaveBeenCalled();
    expect(client.tokens()?.refreshToken).toBe(start.refreshToken);
  });

  it('signs in, signs out and revokes the refresh token', async () => {
    const server = createFakePulse();
    const onTokens = vi.fn();
    const client = track(createPulseClient({ url: BASE, fetch: server.fetch, onTokens }));
    const session = await client.signIn({ email: 'ada@example.com', password: 'correct horse' });
    expect(client.tokens()).toMatchObject({
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
    });
    expect(onTokens).toHaveBeenLastCalledWith(client.tokens());
    await expect(client.api.users.me.query()).resolves.toMatchObject({ id: 'ada' });

    await client.signOut();
    expect(server.state.logoutCalls).toEqual([session.refreshToken]);
    expect(client.tokens()).toBeNull();
    expect(onTokens).toHaveBeenLastCalledWith(null);
    expect(pulseErrorCode(await client.api.users.me.query().catch((e: unknown) => e))).toBe(
      'UNAUTHENTICATED',
    );
    // Signing out twice is harmless.
    await client.signOut();
    expect(server.state.logoutCalls).toHaveLength(1);
  });

  it('never refreshes around the token procedures themselves', async () => {
    const server = createFakePulse();
    const stale = server.issue('old', 1);
    const client = track(
      createPulseClient({
        url: BASE,
        fetch: server.fetch,
        accessToken: stale.accessToken,
        refreshToken: stale.refreshToken,
      }),
    );
    await client.signIn({ email: 'ada@example.com', password: 'pw' });
    await client.api.auth.login.mutate({ email: 'ada@example.com', password: 'pw' });
    expect(server.state.refreshCalls).toEqual([]);
  });

  it('sends an API key as bearer token and never tries to refresh it', async () => {
    const server = createFakePulse();
    const key = server.issue('service').accessToken;
    server.state.expired.add(key);
    const client = track(
      createPulseClient({
        url: BASE,
        fetch: server.fetch,
        apiKey: key,
        headers: { 'x-trace': '1' },
      }),
    );
    expect(pulseErrorCode(await client.api.users.me.query().catch((e: unknown) => e))).toBe(
      'TOKEN_EXPIRED',
    );
    expect(apiRequests(server).map((request) => request.token)).toEqual([key]);
    expect(server.state.refreshCalls).toEqual([]);
  });

  it('fails subscriptions with a clear message when there is no WebSocket class', async () => {
    if ('WebSocket' in globalThis) return; // Node 22+ has one.
    const server = createFakePulse();
    const client = track(createPulseClient({ url: BASE, fetch: server.fetch }));
    const error = await new Promise((resolve) => {
      getUntypedClient(client.api).subscription('test.ticks', undefined, { onError: resolve });
    });
    expect(String(error)).toMatch(/No WebSocket implementation.*'ws'/);
    // Queries over HTTP are unaffected.
    await expect(
      client.api.auth.login.mutate({ email: 'a@b.c', password: 'pw' }),
    ).resolves.toBeDefined();
  });

  it('streams subscriptions over SSE with the bearer token', async () => {
    const server = createFakePulse();
    const start = server.issue('ada');
    const client = track(
      createPulseClient({
        url: BASE,
        fetch: server.fetch,
        subscriptions: 'sse',
        EventSource,
        accessToken: start.accessToken,
      }),
    );
    const events: { id: string; data: { n: number; token: string } }[] = [];
    const subscription = getUntypedClient(client.api).subscription('test.ticks', undefined, {
      onData: (event) => events.push(event as (typeof events)[number]),
    });
    await vi.waitFor(() => expect(events.length).toBeGreaterThanOrEqual(2));
    subscription.unsubscribe();
    expect(events[0]).toEqual({ id: '1', data: { n: 1, token: start.accessToken } });
  });
});

describe('createPulseClient over WebSocket', () => {
  it('authenticates the socket with the current token and moves to a new socket after a refresh', async () => {
    const server = createFakePulse();
    const url = await server.listen();
    const start = server.issue('ada');
    const client = track(
      createPulseClient({
        url,
        fetch: server.fetch,
        transport: 'ws',
        WebSocket,
        accessToken: start.accessToken,
        refreshToken: start.refreshToken,
        reconnect: { minDelayMs: 10 },
      }),
      server,
    );

    expect(server.state.wsConnections).toEqual([]); // lazy: no socket before the first call
    await expect(client.api.users.me.query()).resolves.toEqual({ id: 'ada', via: 'ws' });
    expect(server.state.wsConnections).toEqual([start.accessToken]);

    const seen: string[] = [];
    const subscription = getUntypedClient(client.api).subscription('test.ticks', undefined, {
      onData: (event) => seen.push((event as { data: { token: string } }).data.token),
    });
    await vi.waitFor(() => expect(seen).toContain(start.accessToken));

    await client.refresh();
    const fresh = client.tokens()!.accessToken;
    await vi.waitFor(() => expect(seen.at(-1)).toBe(fresh), { timeout: 5_000 });
    expect(server.state.wsConnections).toEqual([start.accessToken, fresh]);
    await expect(client.api.users.me.query()).resolves.toEqual({ id: 'ada', via: 'ws' });
    expect(apiRequests(server).at(-1)?.token).toBe(fresh);
    subscription.unsubscribe();
  });

  it('retries on a fresh socket when the server says the socket token expired', async () => {
    const server = createFakePulse();
    const url = await server.listen();
    const start = server.issue('ada');
    const client = track(
      createPulseClient({
        url,
        fetch: server.fetch,
        transport: 'ws',
        WebSocket,
        accessToken: start.accessToken,
        refreshToken: start.refreshToken,
        reconnect: { minDelayMs: 10 },
      }),
      server,
    );
    await client.api.users.me.query();
    server.state.expired.add(start.accessToken);

    await expect(client.api.users.me.query()).resolves.toEqual({ id: 'ada', via: 'ws' });
    const fresh = client.tokens()!.accessToken;
    expect(server.state.refreshCalls).toHaveLength(1);
    expect(server.state.wsConnections.at(-1)).toBe(fresh);
    expect(apiRequests(server).map((request) => request.token)).toEqual([
      start.accessToken,
      start.accessToken,
      fresh,
    ]);
  });

  it('replaces the socket when a different user signs in', async () => {
    const server = createFakePulse();
    const url = await server.listen();
    const client = track(
      createPulseClient({ url, fetch: server.fetch, transport: 'ws', WebSocket }),
      server,
    );
    await client.signIn({ email: 'ada@example.com', password: 'pw' });
    await expect(client.api.users.me.query()).resolves.toMatchObject({ id: 'ada' });
    await client.signIn({ email: 'bob@example.com', password: 'pw' });
    await expect(client.api.users.me.query()).resolves.toMatchObject({ id: 'bob' });
    await client.close();
  });
});
