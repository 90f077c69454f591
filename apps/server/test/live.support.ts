import { randomBytes } from 'node:crypto';
import { get, type IncomingMessage } from 'node:http';
import {
  type AppRouter,
  type EventsMessage,
  type LiveMetricPoint,
  publishEvents,
  publishMetricPoints,
} from '@pulse/api';
import {
  createTRPCClient,
  createWSClient,
  type WebSocketClientOptions,
  wsLink,
} from '@trpc/client';
import superjson from 'superjson';
import { expect, vi } from 'vitest';
import WebSocket from 'ws';
import type { TestServer } from './harness.js';

export { type Account, createApiKey, join, registerOwner } from './accounts.js';

/** Polls instead of sleeping a guessed time: fast when it works, bounded when not. */
export const eventually = { timeout: 8_000, interval: 20 };

/** A tRPC client over WebSocket, recording its sockets so tests can cut or pause them. */
export function connectWs(server: TestServer, token?: string, retryDelayMs = 50) {
  const sockets: WebSocket[] = [];
  class RecordingWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      sockets.push(this);
    }
  }
  const wsClient = createWSClient({
    url: `${server.url.replace(/^http/, 'ws')}/trpc`,
    WebSocket: RecordingWebSocket as unknown as NonNullable<WebSocketClientOptions['WebSocket']>,
    connectionParams: async () => (token ? { token } : {}),
    retryDelayMs: () => retryDelayMs,
  });
  const client = createTRPCClient<AppRouter>({
    links: [wsLink({ client: wsClient, transformer: superjson })],
  });
  return { client, sockets, close: () => wsClient.close() };
}

export interface Received {
  id: string;
  // biome-ignore lint/suspicious/noExplicitAny: feed messages are asserted on loosely.
  data: any;
}

type Handlers = {
  onData: (value: Received) => void;
  onError: (error: unknown) => void;
};

/** Records what a subscription delivers: `record((h) => client.live.events.subscribe({}, h))`. */
export function record(start: (handlers: Handlers) => { unsubscribe(): void }) {
  const messages: Received[] = [];
  const errors: unknown[] = [];
  const subscription = start({
    onData: (value) => messages.push(value),
    onError: (error) => errors.push(error),
  });
  return {
    messages,
    errors,
    kinds: () => messages.map((message) => message.data.kind as string),
    stop: () => subscription.unsubscribe(),
  };
}

/** Subscriptions of a workspace this server holds: 'established' means publishes reach them. */
export async function waitForSubscribers(server: TestServer, workspaceId: string, total: number) {
  await vi.waitFor(async () => {
    const live = await server.app.pulse.live.connections.workspace(workspaceId);
    const local = live.processes.find((p) => p.process === server.app.pulse.live.processId);
    expect(local?.total ?? 0).toBe(total);
  }, eventually);
}

type EventDto = EventsMessage['events'][number];

let sequence = 0;

export function eventDto(overrides: Partial<EventDto> = {}): EventDto {
  sequence += 1;
  const now = new Date().toISOString();
  return {
    id: `evt-${sequence}-${randomBytes(3).toString('hex')}`,
    type: 'page_view',
    timestamp: now,
    receivedAt: now,
    userId: null,
    anonymousId: null,
    sessionId: null,
    properties: {},
    productId: null,
    price: null,
    quantity: null,
    currency: null,
    ...overrides,
  };
}

export const publishContext = (server: TestServer) => ({
  infra: server.app.pulse.infra,
  live: server.app.pulse.live,
});

export const publish = (server: TestServer, workspaceId: string, events: EventDto[]) =>
  publishEvents(publishContext(server), workspaceId, events);

export const publishPoints = (server: TestServer, workspaceId: string, points: LiveMetricPoint[]) =>
  publishMetricPoints(publishContext(server), workspaceId, points);

export interface SseEvent {
  id?: string;
  event?: string;
  // biome-ignore lint/suspicious/noExplicitAny: feed messages are asserted on loosely.
  data: any;
}

/**
 * An SSE stream read as a non-TypeScript client would. node:http with its own connection
 * (agent: false), not fetch: undici reconnects a pooled socket after an aborted body, and
 * Node's server close then waits on that request-less connection for a minute.
 */
export async function openSse(
  server: TestServer,
  path: string,
  options: { token?: string; lastEventId?: string } = {},
) {
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
  const request = get(`${server.url}/api/v1${path}`, { headers, agent: false });
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    request.on('response', resolve).on('error', reject);
  });
  response.setEncoding('utf8');
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let text = '';
  const done = new Promise<void>((resolve) => {
    response.on('close', resolve).on('error', () => resolve());
  });
  const streaming = response.headers['content-type']?.startsWith('text/event-stream');
  response.on('data', (chunk: string) => {
    text += chunk;
    if (!streaming) return;
    for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
      parseBlock(text.slice(0, end), events, comments);
      text = text.slice(end + 2);
    }
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    events,
    comments,
    done,
    /** The whole body as JSON, for error responses. */
    json: async () => {
      await done;
      return JSON.parse(text);
    },
    close: () => request.destroy(),
  };
}

function parseBlock(block: string, events: SseEvent[], comments: string[]): void {
  const event: Partial<SseEvent> = {};
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) comments.push(line.slice(1).trim());
    else if (line.startsWith('id: ')) event.id = line.slice(4);
    else if (line.startsWith('event: ')) event.event = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  if (data.length > 0) events.push({ ...event, data: JSON.parse(data.join('\n')) });
}
