import { createHash } from 'node:crypto';
import {
  appRouter,
  bearerFromHeader,
  type Context,
  type IncomingRequest,
  REST_BASE_PATH,
} from '@pulse/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fastifyTRPCOpenApiPlugin } from 'trpc-to-openapi';
import { requestFacts } from './trpc.js';

/** The REST surface under /api/v1, generated from the same procedures as the RPC API. */
export async function restPlugin(
  scope: FastifyInstance,
  options: { makeContext: (request: IncomingRequest) => Context; maxBodyBytes: number },
): Promise<void> {
  // The adapter takes DELETE inputs from the query string only; a JSON body (as documented,
  // and the only sane place for a confirming password) is merged in so both work.
  scope.addHook('preHandler', async (request) => {
    if (request.method === 'DELETE' && isPlainObject(request.body)) {
      request.query = { ...(request.query as object), ...request.body };
    }
  });
  scope.addHook('onSend', async (request, reply, payload) =>
    conditionalGet(request, reply, payload),
  );
  await scope.register(fastifyTRPCOpenApiPlugin, {
    basePath: REST_BASE_PATH,
    router: appRouter,
    maxBodySize: options.maxBodyBytes,
    createContext: ({ req, res }: { req: FastifyRequest; res: FastifyReply }) =>
      options.makeContext({
        ...requestFacts(req),
        bearerToken: bearerFromHeader(req.headers.authorization),
        setHeader: (name, value) => void res.header(name, value),
      }),
    onError: ({ error, path }: { error: { code: string; cause?: unknown }; path?: string }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        scope.log.error({ err: error.cause ?? error, path }, 'REST procedure failed');
    },
  });
}

/**
 * Every successful GET carries a strong ETag over its exact bytes; a client that sends it back
 * in `If-None-Match` gets 304 and no body. Hashing the body (rather than versioning data) keeps
 * it correct for every endpoint, cached or not.
 */
function conditionalGet(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
  if (request.method !== 'GET' || reply.statusCode !== 200) return payload;
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
  const etag = `"${createHash('sha1').update(payload).digest('base64url')}"`;
  reply.header('ETag', etag);
  const wanted = request.headers['if-none-match'];
  if (wanted && matchesEtag(wanted, etag)) {
    reply.code(304);
    reply.removeHeader('Content-Length');
    return '';
  }
  return payload;
}

function matchesEtag(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === etag || tag === '*');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
