import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  type Operation,
  type OperationLink,
  splitLink,
  type TRPCClient,
  TRPCClientError,
  type TRPCLink,
  type TRPCWebSocketClient,
  type WebSocketClientOptions,
  wsLink,
} from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import { authLink } from './auth-link.js';
import { type ReconnectOptions, reconnectDelayMs } from './backoff.js';
import { isPulseError } from './errors.js';
import type { AppRouter } from './generated/app-router.js';
import {
  type AuthSession,
  type PulseTokens,
  type PulseTokensInput,
  TokenSession,
} from './session.js';
import { wireTransformer } from './transformer.js';

/** Every procedure's input, by path: `RouterInputs['workspaces']['invite']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Every procedure's output, by path: `RouterOutputs['users']['me']`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/**
 * A WHATWG `WebSocket` class: the global one (browsers, Node 22+), or the default export of the
 * `ws` package on Node 20.
 */
export interface WebSocketConstructor {
  new (url: string, protocols?: never): object;
  readonly CONNECTING: number;
  readonly OPEN: number;
  readonly CLOSING: number;
  readonly CLOSED: number;
}

/**
 * A WHATWG `EventSource` class: the global one (browsers), or `EventSource` from the
 * `eventsource` package on Node.
 */
export type EventSourceConstructor = new (url: string, init?: never) => object;

export interface PulseClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:3000`; tRPC is at `<url>/trpc`. */
  url: string;
  /** A stored session's access token (see `onTokens`). */
  accessToken?: string | undefined;
  /** A stored session's refresh token; alone, it's enough to resume the session. */
  refreshToken?: string | undefined;
  /** Sent as `Authorization: Bearer <apiKey>` when there's no access token. Never refreshed. */
  apiKey?: string | undefined;
  /** Called with new tokens after sign-in, registration and each refresh; `null` once they're gone. */
  onTokens?: ((tokens: PulseTokens | null) => void) | undefined;
  /** How queries and mutations travel. Default `'http'` (batched). */
  transport?: 'http' | 'ws' | undefined;
  /** How subscriptions travel. Default `'ws'`. */
  subscriptions?: 'ws' | 'sse' | undefined;
  /** WebSocket class; required on Node 20 (no global one): `import WebSocket from 'ws'`. */
  WebSocket?: WebSocketConstructor | undefined;
  /** EventSource class for `subscriptions: 'sse'` where there's no global one (Node). */
  EventSource?: EventSourceConstructor | undefined;
  /** `fetch` implementation. Default: the global one. */
  fetch?: typeof fetch | undefined;
  /** Extra headers for every HTTP request. */
  headers?: Record<string, string> | undefined;
  /** WebSocket reconnect backoff bounds. */
  reconnect?: ReconnectOptions | undefined;
}

export interface PulseClient {
  /**
   * The typed tRPC client: `api.users.me.query()`, `api.workspaces.invite.mutate({…})`,
   * `api.<domain>.<procedure>.subscribe(input, { onData })`.
   */
  readonly api: TRPCClient<AppRouter>;
  /** Signs in and keeps the session's tokens (reported to `onTokens`). */
  signIn(input: RouterInputs['auth']['login']): Promise<AuthSession>;
  /** Creates an account and keeps the session's tokens (reported to `onTokens`). */
  register(input: RouterInputs['auth']['register']): Promise<AuthSession>;
  /** Forgets the tokens (`onTokens(null)`) and revokes the session on the server. */
  signOut(): Promise<void>;
  /** The current session's tokens, or `null` without a refresh token and access token. */
  tokens(): PulseTokens | null;
  /** Replaces the tokens (e.g. restored from storage). Doesn't call `onTokens`. */
  setTokens(tokens: PulseTokensInput | null): void;
  /** Refreshes the tokens now, or joins the refresh already running. */
  refresh(): Promise<void>;
  /** Closes the WebSocket, if one is open. Calls made afterwards open a new one. */
  close(): Promise<void>;
}

/** Close an idle WebSocket after this long. */
const WS_IDLE_CLOSE_MS = 30_000;

/** Creates a Pulse API client; see the package README for examples. */
export function createPulseClient(options: PulseClientOptions): PulseClient {
  const urls = endpoints(options.url);
  const transport = options.transport ?? 'http';
  const subscriptions = options.subscriptions ?? 'ws';
  const fetchImpl = options.fetch;
  const baseHeaders = { ...options.headers };

  // Token calls (sign-in, refresh, sign-out) go straight over HTTP: a refresh can't wait for a
  // WebSocket whose connection parameters wait for that refresh.
  const tokenApi = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: urls.http,
        transformer: wireTransformer,
        headers: () => baseHeaders,
        fetch: fetchImpl,
      }),
    ],
  });

  const session = new TokenSession({
    accessToken: options.accessToken,
    refreshToken: options.refreshToken,
    apiKey: options.apiKey,
    onTokens: options.onTokens,
    exchange: (refreshToken) => tokenApi.auth.refresh.mutate({ refreshToken }),
  });

  const authHeaders = (): Record<string, string> => {
    const token = session.bearer();
    return token ? { ...baseHeaders, authorization: `Bearer ${token}` } : { ...baseHeaders };
  };

  let wsClient: TRPCWebSocketClient | undefined;
  /** The bearer token the WebSocket last authenticated with. */
  let socketToken: string | undefined;

  const getWsClient = (): TRPCWebSocketClient => {
    if (wsClient) return wsClient;
    const WebSocketImpl =
      options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!WebSocketImpl) {
      throw new Error(
        "No WebSocket implementation: Node 20 has no global WebSocket. Pass one, e.g. `import WebSocket from 'ws'` and createPulseClient({ WebSocket, … }).",
      );
    }
    wsClient = createWSClient({
      url: urls.ws,
      WebSocket: WebSocketImpl as unknown as NonNullable<WebSocketClientOptions['WebSocket']>,
      // Read on every (re)connect, so a new socket always carries the current token.
      connectionParams: async () => {
        const token = await session.freshBearer();
        socketToken = token;
        return token ? { token } : {};
      },
      retryDelayMs: (attempt) => reconnectDelayMs(attempt, options.reconnect),
      // No socket until a call needs one; closed again after a while without calls.
      lazy: { enabled: true, closeMs: WS_IDLE_CLOSE_MS },
    });
    return wsClient;
  };

  // A WebSocket authenticates once, when it opens: when the token changes, replace the socket.
  session.onChange((change) => {
    const connection = wsClient?.connection;
    if (!wsClient || !connection || connection.state === 'closed') return;
    if (socketToken === session.bearer()) return;
    // Refreshed: the old token stays valid a little longer, so let the old socket finish its
    // calls while a new one opens. New identity: drop the old socket at once.
    if (change === 'refresh' && connection.state === 'open' && reconnectGracefully(wsClient))
      return;
    connection.ws.close();
  });

  const usesWebSocket = (op: Operation) =>
    op.type === 'subscription' ? subscriptions === 'ws' : transport === 'ws';

  const webSocketLink = lazyLink(() =>
    wsLink<AppRouter>({ client: getWsClient(), transformer: wireTransformer }),
  );

  const eventSourceLink = lazyLink(() => {
    const EventSourceImpl =
      options.EventSource ?? (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
    if (!EventSourceImpl) {
      throw new Error(
        "No EventSource implementation: Node has no global EventSource. Pass one, e.g. `import { EventSource } from 'eventsource'` and createPulseClient({ EventSource, … }).",
      );
    }
    const fetchForEvents = async (
      url: string | URL,
      init: { headers?: Record<string, string> },
    ) => {
      await session.freshBearer();
      return (fetchImpl ?? globalThis.fetch)(url, {
        ...(init as RequestInit),
        headers: { ...init.headers, ...authHeaders() },
      });
    };
    return httpSubscriptionLink<AppRouter, AnyEventSourceConstructor>({
      url: urls.http,
      transformer: wireTransformer,
      EventSource: EventSourceImpl as unknown as AnyEventSourceConstructor,
      // The token goes in the URL too: browsers' EventSource can't send headers.
      connectionParams: async () => {
        const token = await session.freshBearer();
        return token ? { token } : {};
      },
      // `fetch` is read by the `eventsource` package (on each reconnect), `headers` by polyfills
      // that take headers; the browser's EventSource ignores both.
      eventSourceOptions: async () => {
        await session.freshBearer();
        return { fetch: fetchForEvents, headers: authHeaders() };
      },
    });
  });

  const httpOptions = {
    url: urls.http,
    transformer: wireTransformer,
    fetch: fetchImpl,
    // The auth link refreshed the token (if needed) before the operation got here.
    headers: authHeaders,
  };
  // Queries are small and often fired together: batched, a few per request. Mutations are
  // not: an ingest batch is up to 1 MB, and several in one request would pass the server's
  // body limit and fail (or succeed) together.
  const httpBatch = splitLink<AppRouter>({
    condition: (op) => op.type === 'mutation',
    true: httpLink<AppRouter>(httpOptions),
    false: httpBatchLink<AppRouter>({ ...httpOptions, maxItems: 10 }),
  });

  const api = createTRPCClient<AppRouter>({
    links: [
      authLink({
        session,
        beforeRetry: (op) => {
          // The server refused the socket's token: make the retry open a fresh socket.
          if (usesWebSocket(op)) wsClient?.connection?.ws.close();
        },
      }),
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: subscriptions === 'sse' ? eventSourceLink : webSocketLink,
        false: transport === 'ws' ? webSocketLink : httpBatch,
      }),
    ],
  });

  return {
    api,
    async signIn(input) {
      const result = await tokenApi.auth.login.mutate(input);
      session.acceptSession(result);
      return result;
    },
    async register(input) {
      const result = await tokenApi.auth.register.mutate(input);
      session.acceptSession(result);
      return result;
    },
    async signOut() {
      // A refresh that's running would rotate the token we're about to revoke.
      await session.settled();
      const refreshToken = session.refreshToken();
      session.clear();
      if (!refreshToken) return;
      try {
        await tokenApi.auth.logout.mutate({ refreshToken });
      } catch (error) {
        // Already revoked or expired: the session is over either way.
        if (isPulseError(error) && error.data.httpStatus === 401) return;
        throw error;
      }
    },
    tokens: () => session.tokens(),
    setTokens: (tokens) => session.setTokens(tokens),
    refresh: () => session.refresh(),
    async close() {
      await wsClient?.close();
    },
  };
}

type AnyEventSourceConstructor = NonNullable<
  Parameters<typeof httpSubscriptionLink>[0]['EventSource']
>;

/**
 * Asks tRPC's WebSocket client to replace its socket the way it does when the server sends
 * `reconnect`: the new socket opens (with fresh connection params) while the old one keeps
 * serving, subscriptions move over, and the old socket closes once drained. That method isn't
 * public API, so it's feature-detected; without it the caller closes the socket instead.
 */
function reconnectGracefully(client: TRPCWebSocketClient): boolean {
  const internal = client as unknown as { reconnect?: (closedError: null) => void };
  if (typeof internal.reconnect !== 'function') return false;
  internal.reconnect(null);
  return true;
}

/** A link built on first use, so a missing WebSocket/EventSource only fails calls that need it. */
function lazyLink(create: () => TRPCLink<AppRouter>): TRPCLink<AppRouter> {
  return (runtime) => {
    let link: OperationLink<AppRouter> | undefined;
    return (context) => {
      try {
        link ??= create()(runtime);
      } catch (error) {
        const cause = error instanceof Error ? error : new Error(String(error));
        return observable((observer) => observer.error(TRPCClientError.from(cause)));
      }
      return link(context);
    };
  };
}

function endpoints(url: string): { http: string; ws: string } {
  let base = url.trim().replace(/\/+$/, '');
  const location = (globalThis as { location?: { href: string } }).location;
  if (!/^[a-z][a-z\d+.-]*:\/\//i.test(base) && location) base = new URL(base, location.href).href;
  const http = `${base.replace(/^ws(s?):\/\//i, 'http$1://').replace(/\/+$/, '')}/trpc`;
  return { http, ws: http.replace(/^http(s?):\/\//i, 'ws$1://') };
}
