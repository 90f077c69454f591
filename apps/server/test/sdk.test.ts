import { createPulseClient, isPulseError, type PulseTokens, pulseErrorCode } from '@pulse/sdk';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { rest, uniqueEmail, useTestServer } from './harness.js';
import { craftToken } from './tokens.js';

const PASSWORD = 'sdk-test-password';

describe('the SDK against a live server', () => {
  const server = useTestServer();

  const newClient = (options: Partial<Parameters<typeof createPulseClient>[0]> = {}) =>
    createPulseClient({ url: server.url, WebSocket, ...options });

  it('registers, signs in and calls procedures over batched HTTP', async () => {
    const client = newClient();
    const email = uniqueEmail('sdk');
    const session = await client.register({
      email,
      password: PASSWORD,
      name: 'Sid',
      workspaceName: 'SDK Co',
    });
    expect(session.role).toBe('owner');
    const [me, members, health] = await Promise.all([
      client.api.users.me.query(),
      client.api.workspaces.members.query({ limit: 10 }),
      client.api.system.health.query(),
    ]);
    expect(me).toMatchObject({ email, name: 'Sid', workspace: { name: 'SDK Co' }, role: 'owner' });
    expect(members.items.map((m) => m.email)).toEqual([email]);
    expect(health.status).toBe('ok');

    const other = newClient();
    const again = await other.signIn({ email, password: PASSWORD });
    expect(again.user.id).toBe(session.user.id);
    await client.close();
  });

  it('carries the same session over a WebSocket, authenticated by connectionParams', async () => {
    const http = newClient();
    await http.register({ email: uniqueEmail('ws'), password: PASSWORD, name: 'Wes' });
    const ws = newClient({ transport: 'ws' });
    ws.setTokens(http.tokens());
    const me = await ws.api.users.me.query();
    expect(me.name).toBe('Wes');
    const renamed = await ws.api.users.updateMe.mutate({ name: 'Wes Socket' });
    expect(renamed.name).toBe('Wes Socket');
    await ws.close();

    const anonymous = newClient({ transport: 'ws' });
    const failure = await anonymous.api.users.me.query().catch((error: unknown) => error);
    expect(isPulseError(failure)).toBe(true);
    expect(pulseErrorCode(failure)).toBe('UNAUTHENTICATED');
    await anonymous.close();
  });

  it('refreshes an expired access token once, even for concurrent calls, and reports new tokens', async () => {
    const seed = newClient();
    const session = await seed.register({
      email: uniqueEmail('refresh'),
      password: PASSWORD,
      name: 'Rey',
    });
    const past = Math.floor(Date.now() / 1000) - 120;
    const expired = await craftToken(
      { typ: 'access', sub: session.user.id, wid: session.workspace.id, role: 'owner', fam: 'f' },
      { secret: server.config.api.auth.jwtSecret, issuedAt: past - 900, expiresAt: past },
    );
    const reported: Array<PulseTokens | null> = [];
    const client = newClient({
      accessToken: expired,
      refreshToken: session.refreshToken,
      onTokens: (tokens) => reported.push(tokens),
    });
    const results = await Promise.all(Array.from({ length: 5 }, () => client.api.users.me.query()));
    expect(results.every((me) => me.id === session.user.id)).toBe(true);
    // A second refresh with the same token would have revoked the family: exactly one happened.
    expect(reported).toHaveLength(1);
    expect(reported[0]?.refreshToken).not.toBe(session.refreshToken);
    const replay = await rest(server, 'POST', '/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(replay.body.data.domainCode).toBe('TOKEN_REUSED');
  });

  it('signs out: the session is revoked and the tokens are forgotten', async () => {
    const reported: Array<PulseTokens | null> = [];
    const client = newClient({ onTokens: (tokens) => reported.push(tokens) });
    const session = await client.register({
      email: uniqueEmail('out'),
      password: PASSWORD,
      name: 'Otto',
    });
    await client.signOut();
    expect(client.tokens()).toBeNull();
    expect(reported.at(-1)).toBeNull();
    const refresh = await rest(server, 'POST', '/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(refresh.status).toBe(401);
  });

  it('exposes typed errors naming the failing fields', async () => {
    const client = newClient();
    const failure = await client
      // biome-ignore lint/suspicious/noExplicitAny: sending what the types forbid, on purpose.
      .register({ email: 'nope', password: 'short', name: '' } as any)
      .catch((error: unknown) => error);
    expect(isPulseError(failure)).toBe(true);
    expect(pulseErrorCode(failure)).toBe('VALIDATION_FAILED');
    const paths = (failure as { data?: { issues?: Array<{ path: string }> } }).data?.issues
      ?.map((i) => i.path)
      .sort();
    expect(paths).toEqual(['email', 'name', 'password']);
  });

  it('batches many queries into one request and sends large mutations separately', async () => {
    const client = newClient();
    await client.register({ email: uniqueEmail('batch'), password: PASSWORD, name: 'Bat' });
    // Twelve queries in one tick: one batched request path naming them all (Fastify's default
    // path limit used to refuse this with 414).
    const results = await Promise.all(
      Array.from({ length: 12 }, () => client.api.workspaces.members.query({ limit: 5 })),
    );
    expect(results.every((page) => page.items.length === 1)).toBe(true);
    // Three 1,000-event batches at once: ~1.3 MB together, over the 1 MB body limit if batched.
    const batches = [0, 1, 2].map((b) =>
      Array.from({ length: 1000 }, (_, i) => ({
        id: `big-${b}-${i}`,
        type: 'page_view',
        properties: {
          path: `/some/long/path/${i}`,
          referrer: 'https://example.com/landing?campaign=spring',
        },
      })),
    );
    const outcomes = await Promise.all(
      batches.map((events) => client.api.events.ingestBatch.mutate({ events })),
    );
    expect(outcomes.map((o) => o.accepted)).toEqual([1000, 1000, 1000]);
  });

  it('authenticates with an API key', async () => {
    const owner = newClient();
    await owner.register({ email: uniqueEmail('keys'), password: PASSWORD, name: 'Kay' });
    const { key } = await owner.api.apiKeys.create.mutate({ name: 'sdk ingest', scope: 'ingest' });
    const ingester = newClient({ apiKey: key });
    const result = await ingester.api.events.ingest.mutate({ id: 'sdk-evt-1', type: 'page_view' });
    expect(result).toEqual({ id: 'sdk-evt-1', duplicate: false });
    const denied = await ingester.api.events.list
      .query({ limit: 5 })
      .catch((error: unknown) => error);
    expect(pulseErrorCode(denied)).toBe('FORBIDDEN');
  });
});
