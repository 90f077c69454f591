/**
 * A stand-in for the Pulse server, for SDK tests that can't run the real one: a small tRPC router
 * with Pulse's paths, error shape (`data.domainCode`) and token rules (refresh tokens rotate and
 * may be used once), served through an in-process `fetch` and, on demand, a real WebSocket server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initTRPC, TRPCError, tracked } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import superjson from 'superjson';
import { WebSocketServer } from 'ws';

export type DomainCode =
  | 'TOKEN_EXPIRED'
  | 'TOKEN_INVALID'
  | 'TOKEN_REUSED'
  | 'UNAUTHENTICATED'
  | 'INTERNAL';

class DomainError extends TRPCError {
  constructor(
    readonly domainCode: DomainCode,
    message: string,
  ) {
    super({ code: domainCode === 'INTERNAL' ? 'INTERNAL_SERVER_ERROR' : 'UNAUTHORIZED', message });
  }
}

/** An unsigned JWT-shaped token: the SDK only reads `exp`. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.sig`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

interface Context {
  token: string | undefined;
  via: 'http' | 'ws';
}

export interface FakePulseOptions {
  /** Access token lifetime for tokens the fake issues. Default 900 s. */
  accessTtlSec?: number;
  /** Delay of `auth.refresh`, to widen race windows. Default 20 ms. */
  refreshDelayMs?: number;
}

export function createFakePulse(options: FakePulseOptions = {}) {
  const accessTtlSec = options.accessTtlSec ?? 900;
  let serial = 0;
  const state = {
    /** Access tokens the server accepts, by token. */
    access: new Map<string, { user: string }>(),
    /** Access tokens the server calls expired, whatever their `exp` says. */
    expired: new Set<string>(),
    refresh: new Map<string, { user: string; used: boolean }>(),
    /** Refresh calls and their outcome. */
    refreshCalls: [] as { token: string; outcome: 'ok' | DomainCode }[],
    logoutCalls: [] as string[],
    /** Every request, with the transport and token it came with. */
    requests: [] as { path: string; via: 'http' | 'ws'; token: string | undefined }[],
    httpRequests: 0,
    /** Tokens WebSocket connections authenticated with, in order. */
    wsConnections: [] as (string | undefined)[],
    refreshFailure: undefined as DomainCode | 'NETWORK' | undefined,
    /** Call every access token expired. */
    expireAll: false,
  };

  function issue(user: string, ttlSec = accessTtlSec) {
    serial++;
    const accessToken = fakeJwt({ sub: user, jti: `a${serial}`, exp: nowSeconds() + ttlSec });
    const refreshToken = `refresh-${user}-${serial}`;
    state.access.set(accessToken, { user });
    state.refresh.set(refreshToken, { user, used: false });
    return {
      user: { id: user, email: `${user}@example.com`, name: user },
      workspace: { id: 'w1', name: 'Workspace' },
      role: 'owner' as const,
      accessToken,
      refreshToken,
      tokenType: 'Bearer' as const,
      expiresIn: ttlSec,
    };
  }

  const t = initTRPC.context<Context>().create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const domainCode = error instanceof DomainError ? error.domainCode : 'INTERNAL';
      return { ...shape, data: { ...shape.data, domainCode, issues: [] } };
    },
  });

  const authed = t.procedure.use(({ ctx, path, next }) => {
    state.requests.push({ path, via: ctx.via, token: ctx.token });
    if (!ctx.token) throw new DomainError('UNAUTHENTICATED', 'Sign in first');
    const known = state.access.get(ctx.token);
    if (!known) throw new DomainError('TOKEN_INVALID', 'Unknown token');
    if (state.expireAll || state.expired.has(ctx.token))
      throw new DomainError('TOKEN_EXPIRED', 'Token expired');
    return next({ ctx: { user: known.user } });
  });
  const open = t.procedure.use(({ ctx, path, next }) => {
    state.requests.push({ path, via: ctx.via, token: ctx.token });
    return next();
  });
  const input = <T>(value: unknown) => value as T;

  const router = t.router({
    auth: {
      login: open
        .input(input<{ email: string; password: string }>)
        .mutation(({ input }) => issue(input.email.split('@')[0] ?? 'user')),
      refresh: open.input(input<{ refreshToken: string }>).mutation(async ({ input }) => {
        await new Promise((resolve) => setTimeout(resolve, options.refreshDelayMs ?? 20));
        const record = state.refresh.get(input.refreshToken);
        const failure = state.refreshFailure;
        if (failure === 'NETWORK') throw new Error('unreachable');
        const outcome: 'ok' | DomainCode =
          failure ?? (!record ? 'TOKEN_INVALID' : record.used ? 'TOKEN_REUSED' : 'ok');
        state.refreshCalls.push({ token: input.refreshToken, outcome });
        if (outcome !== 'ok') throw new DomainError(outcome, `refresh refused: ${outcome}`);
        record!.used = true;
        return issue(record!.user);
      }),
      logout: open.input(input<{ refreshToken: string }>).mutation(({ input }) => {
        state.logoutCalls.push(input.refreshToken);
        if (!state.refresh.delete(input.refreshToken))
          throw new DomainError('TOKEN_INVALID', 'unknown');
        return { success: true as const };
      }),
    },
    users: {
      me: authed.query(({ ctx }) => ({ id: ctx.user, via: ctx.via })),
    },
    workspaces: {
      members: authed
        .input(input<{ limit?: number }>)
        .query(() => ({ items: [], nextCursor: null })),
    },
    test: {
      /** Emits the token of the connection it runs on, then one event per `tick` call. */
      ticks: authed.subscription(async function* ({ ctx, signal }) {
        let n = 0;
        while (!signal?.aborted) {
          yield tracked(String(++n), { n, token: ctx.token });
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      }),
    },
  });

  const fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (state.refreshFailure === 'NETWORK' && String(url).includes('auth.refresh')) {
      throw new TypeError('fetch failed');
    }
    state.httpRequests++;
    const req = new Request(url, init);
    return fetchRequestHandler({
      endpoint: '/trpc',
      req,
      router,
      createContext: ({ req }) => ({
        token: /^Bearer (.+)$/.exec(req.headers.get('authorization') ?? '')?.[1],
        via: 'http',
      }),
    });
  };

  let server: Server | undefined;
  let wss: WebSocketServer | undefined;

  /** Serves the router over a real WebSocket server on a random port; returns its base URL. */
  async function listen(): Promise<string> {
    server = createServer((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    wss = new WebSocketServer({ server });
    applyWSSHandler({
      wss,
      router,
      createContext: ({ info }) => {
        const token = info.connectionParams?.token;
        state.wsConnections.push(token);
        return { token, via: 'ws' };
      },
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function stop(): Promise<void> {
    for (const client of wss?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  return { state, issue, fetch, listen, stop, router };
}
