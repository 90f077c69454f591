import websocket from '@fastify/websocket';
import {
  type AppRouter,
  appRouter,
  bearerFromHeader,
  type Context,
  encodeSubscriptionData,
  type IncomingRequest,
  type LiveTransport,
  type SubscriptionAddress,
  subscriptionStartedBy,
  wireWebSocketEncoder,
} from '@pulse/api';
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { keepConnectionAlive } from './ws-heartbeat.js';

export interface TrpcPluginOptions {
  makeContext: (request: IncomingRequest) => Context;
  heartbeatMs: number;
  maxPayloadBytes: number;
}

/**
 * tRPC over HTTP (batched) and WebSocket at /trpc. Registered in its own encapsulated scope:
 * the adapter replaces Fastify's JSON parser there, which must not leak into the REST routes.
 */
export async function trpcPlugin(
  scope: FastifyInstance,
  options: TrpcPluginOptions,
): Promise<void> {
  await scope.register(websocket, { options: { maxPayload: options.maxPayloadBytes } });
  scope.websocketServer.on('connection', (socket: WebSocket) =>
    keepConnectionAlive(socket, options.heartbeatMs),
  );
  await scope.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    useWSS: true,
    trpcOptions: {
      router: appRouter,
      allowMethodOverride: false,
      experimental_encoder: wireWebSocketEncoder,
      createContext: ({ req, res, info }) => {
        const token = info.connectionParams?.token;
        return options.makeContext({
          ...requestFacts(req),
          bearerToken:
            typeof token === 'string' ? token : bearerFromHeader(req.headers.authorization),
          // A WebSocket connection has no per-call headers to write.
          setHeader: isReply(res) ? (name, value) => void res.header(name, value) : undefined,
          // Live feeds watch what a slow client leaves queued on its socket.
          transport: isReply(res) ? undefined : webSocketTransport(res as WebSocket),
        });
      },
      onError: ({ error, path, ctx }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          scope.log.error(
            { err: error.cause ?? error, path, requestId: ctx?.request.requestId },
            'procedure failed',
          );
        }
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });
}

export function requestFacts(
  req: FastifyRequest,
): Pick<IncomingRequest, 'requestId' | 'ip' | 'userAgent' | 'revalidate'> {
  return {
    requestId: String(req.id),
    ip: req.ip,
    userAgent: req.headers['user-agent'],
    revalidate: wantsFreshAnswer(req),
  };
}

/**
 * `Cache-Control: no-cache` asks for a freshly computed answer. Not on a conditional request:
 * fetch adds no-cache to every request carrying If-None-Match (the Fetch standard's
 * HTTP-network-or-cache step), and such a request asks whether the answer changed, which the
 * cached answer and its ETag tell.
 */
function wantsFreshAnswer(req: FastifyRequest): boolean {
  if (req.headers['if-none-match'] !== undefined) return false;
  return /\bno-cache\b/i.test(String(req.headers['cache-control'] ?? ''));
}

function webSocketTransport(socket: WebSocket): LiveTransport {
  const send = socket.send.bind(socket);
  // Every frame tRPC writes passes here; a subscription's `started` frame is noted so its
  // feed, which tRPC starts in the same synchronous step, can claim it. Unclaimed, it is
  // forgotten before anything else runs.
  let started: SubscriptionAddress | undefined;
  socket.send = ((data: Parameters<WebSocket['send']>[0], ...rest: unknown[]) => {
    const address = subscriptionStartedBy(data);
    if (address) {
      started = address;
      queueMicrotask(() => {
        if (started === address) started = undefined;
      });
    }
    return (send as (...args: unknown[]) => void)(data, ...rest);
  }) as WebSocket['send'];
  return {
    bufferedBytes: () => socket.bufferedAmount,
    // A close handshake would wait behind the data the client is not reading.
    drop: () => socket.terminate(),
    claimStartedSubscription: () => {
      const address = started;
      started = undefined;
      if (!address) return undefined;
      return (trackedId, data) => {
        if (socket.readyState === socket.OPEN)
          send(encodeSubscriptionData(address, trackedId, data));
      };
    },
  };
}

function isReply(res: unknown): res is FastifyReply {
  return (
    typeof (res as FastifyReply).header === 'function' &&
    typeof (res as FastifyReply).send === 'function'
  );
}
