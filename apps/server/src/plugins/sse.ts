import { PassThrough } from 'node:stream';
import {
  appRouter,
  bearerFromHeader,
  type Context,
  createCallerFactory,
  domainCodeOf,
  httpStatusOf,
  type IncomingRequest,
  LIVE_FEEDS,
  type LiveFeed,
  PulseError,
  REST_BASE_PATH,
} from '@pulse/api';
import { getTRPCErrorFromUnknown, isTrackedEnvelope } from '@trpc/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { requestFacts } from './trpc.js';

export interface SsePluginOptions {
  makeContext: (request: IncomingRequest) => Context;
  /** `: ping` comments this often keep proxies from closing a quiet stream. */
  heartbeatMs: number;
}

/** Comma lists in the query: `?types=a,b` (repeating the parameter works too). */
const LIST_PARAMS: Record<LiveFeed, string | undefined> = {
  events: 'types',
  metrics: 'names',
  overview: undefined,
  tower: undefined,
  insights: undefined,
};

type LiveCaller = ReturnType<typeof createCaller>['live'];
type Subscribe = (live: LiveCaller, input: Record<string, unknown>) => Promise<unknown>;

const SUBSCRIBE: Record<LiveFeed, Subscribe> = {
  events: (live, input) => live.events(input as never),
  metrics: (live, input) => live.metrics(input as never),
  overview: (live, input) => live.overview(input as never),
  tower: (live, input) => live.tower(input as never),
  insights: (live, input) => live.insights(input as never),
};

const createCaller = createCallerFactory(appRouter);

/**
 * The live feeds as Server-Sent Events for clients without tRPC: GET /api/v1/stream/{feed},
 * same auth as the REST API, `Last-Event-ID` to resume. Runs the very subscription procedures
 * the WebSocket serves (auth, rate limit, input checks, replay), so both transports agree.
 */
export async function ssePlugin(scope: FastifyInstance, options: SsePluginOptions): Promise<void> {
  const open = new Set<{ abort: AbortController; done: Promise<void> }>();
  const runSubscription = createSubscriptionRunner(options);

  // Fastify waits for open responses before closing; streams never finish on their own.
  scope.addHook('preClose', async () => {
    for (const stream of open) stream.abort.abort();
    await Promise.allSettled([...open].map((stream) => stream.done));
  });

  const serve = async (
    request: FastifyRequest,
    reply: FastifyReply,
    subscribe: Subscribe,
    input: Record<string, unknown>,
  ) => {
    const abort = new AbortController();
    const body = new PassThrough();
    reply.raw.on('close', () => abort.abort());
    let iterable: AsyncIterable<unknown>;
    try {
      iterable = await runSubscription(request, reply, subscribe, input, body, abort);
    } catch (error) {
      const failure = getTRPCErrorFromUnknown(error);
      if (domainCodeOf(failure) === 'INTERNAL') request.log.error({ err: error }, 'SSE failed');
      return reply.status(httpStatusOf(failure)).send(errorBody(error, request));
    }
    const stream = { abort, done: Promise.resolve() };
    stream.done = pump(iterable, body, options.heartbeatMs, request).finally(() =>
      open.delete(stream),
    );
    open.add(stream);
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache, no-transform')
      .header('x-accel-buffering', 'no')
      .send(body);
  };

  scope.get<{ Params: { feed: string } }>(
    `${REST_BASE_PATH}/stream/:feed`,
    async (request, reply) => {
      const feed = request.params.feed;
      if (!isFeed(feed)) {
        const message = `No live feed "${feed}"; there are ${LIVE_FEEDS.join(', ')}`;
        return reply.status(404).send(errorBody(new PulseError('NOT_FOUND', message), request));
      }
      return serve(request, reply, SUBSCRIBE[feed], feedInput(request, feed));
    },
  );

  // One floor's pulse: the twin of live.floorPulse({floorId}).
  scope.get<{ Params: { floorId: string } }>(
    `${REST_BASE_PATH}/stream/floors/:floorId`,
    async (request, reply) =>
      serve(request, reply, (live, input) => live.floorPulse(input as never), {
        ...feedInput(request, 'tower'),
        floorId: request.params.floorId,
      }),
  );
}

function createSubscriptionRunner(options: SsePluginOptions) {
  return async (
    request: FastifyRequest,
    reply: FastifyReply,
    subscribe: Subscribe,
    input: Record<string, unknown>,
    body: PassThrough,
    abort: AbortController,
  ): Promise<AsyncIterable<unknown>> => {
    const ctx = options.makeContext({
      ...requestFacts(request),
      bearerToken: bearerFromHeader(request.headers.authorization),
      setHeader: (name, value) => void reply.header(name, value),
      transport: {
        // Everything written but not yet on the network: the PassThrough and the response.
        bufferedBytes: () => body.writableLength + body.readableLength + reply.raw.writableLength,
        drop: () => {
          abort.abort();
          reply.raw.destroy();
        },
      },
    });
    const live = createCaller(ctx, { signal: abort.signal }).live;
    return (await subscribe(live, input)) as AsyncIterable<unknown>;
  };
}

/** Query parameters as the procedure's input; unknown ones are passed on to be refused by name. */
function feedInput(request: FastifyRequest, feed: LiveFeed): Record<string, unknown> {
  const input: Record<string, unknown> = { ...(request.query as Record<string, unknown>) };
  const listParam = LIST_PARAMS[feed];
  if (listParam && input[listParam] !== undefined) {
    const raw = input[listParam];
    const joined = Array.isArray(raw) ? raw.join(',') : String(raw);
    input[listParam] = joined
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  }
  const header = request.headers['last-event-id'];
  if (typeof header === 'string' && header !== '') input.lastEventId = header;
  return input;
}

/** Writes each message as an SSE event until the feed ends (client gone, server closing). */
async function pump(
  iterable: AsyncIterable<unknown>,
  body: PassThrough,
  heartbeatMs: number,
  request: FastifyRequest,
): Promise<void> {
  const heartbeat = setInterval(() => body.write(': ping\n\n'), heartbeatMs);
  try {
    body.write(': connected\nretry: 2000\n\n');
    for await (const item of iterable) {
      const [id, data] = isTrackedEnvelope(item) ? item : [undefined, item];
      const kind = (data as { kind?: unknown }).kind;
      const event = typeof kind === 'string' ? `event: ${kind}\n` : '';
      body.write(`${id ? `id: ${id}\n` : ''}${event}data: ${JSON.stringify(data)}\n\n`);
    }
  } catch (error) {
    request.log.warn({ err: error }, 'SSE feed failed');
    const failure = getTRPCErrorFromUnknown(error);
    body.write(`event: error\ndata: ${JSON.stringify(errorBody(failure, request))}\n\n`);
  } finally {
    clearInterval(heartbeat);
    body.end();
  }
}

function isFeed(value: string): value is LiveFeed {
  return (LIVE_FEEDS as readonly string[]).includes(value);
}

/** The JSON error shape of the REST API, so clients handle both alike. */
function errorBody(error: unknown, request: FastifyRequest) {
  const failure = getTRPCErrorFromUnknown(error);
  const domainCode = domainCodeOf(failure);
  const issues =
    failure instanceof PulseError
      ? failure.issues
      : failure.cause instanceof ZodError
        ? failure.cause.issues.flatMap((issue) =>
            issue.code === 'unrecognized_keys'
              ? issue.keys.map((key) => ({ path: key, message: 'is not a known field' }))
              : [{ path: issue.path.map(String).join('.'), message: issue.message }],
          )
        : [];
  const message =
    domainCode === 'INTERNAL'
      ? 'Internal server error'
      : issues.length > 0
        ? issues
            .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
            .join('; ')
        : failure.message;
  const httpStatus = httpStatusOf(failure);
  return {
    code: failure.code,
    message,
    data: { code: failure.code, httpStatus, domainCode, issues, requestId: request.id },
  };
}
