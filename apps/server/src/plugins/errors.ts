import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * Errors raised by Fastify itself (malformed JSON, oversized body, unknown route) get the
 * same JSON shape as procedure errors; anything unexpected becomes a bare 500 and is logged.
 */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 600
        ? error.statusCode
        : 500;
    if (status >= 500) request.log.error({ err: error }, 'unhandled error');
    const { code, domainCode } = codesFor(status, error);
    void reply.status(status).send({
      code,
      message: status >= 500 ? 'Internal server error' : error.message,
      data: { code, httpStatus: status, domainCode, issues: [], requestId: request.id },
    });
  });

  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      code: 'NOT_FOUND',
      message: `No route ${request.method} ${request.url.split('?')[0]}`,
      data: {
        code: 'NOT_FOUND',
        httpStatus: 404,
        domainCode: 'NOT_FOUND',
        issues: [],
        requestId: request.id,
      },
    });
  });
}

function codesFor(status: number, error: FastifyError): { code: string; domainCode: string } {
  if (status === 413) return { code: 'PAYLOAD_TOO_LARGE', domainCode: 'PAYLOAD_TOO_LARGE' };
  if (status === 415) return { code: 'UNSUPPORTED_MEDIA_TYPE', domainCode: 'VALIDATION_FAILED' };
  if (status === 429) return { code: 'TOO_MANY_REQUESTS', domainCode: 'RATE_LIMITED' };
  if (status === 404) return { code: 'NOT_FOUND', domainCode: 'NOT_FOUND' };
  if (status === 400 && error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return { code: 'PARSE_ERROR', domainCode: 'VALIDATION_FAILED' };
  }
  if (status < 500) return { code: 'BAD_REQUEST', domainCode: 'VALIDATION_FAILED' };
  return { code: 'INTERNAL_SERVER_ERROR', domainCode: 'INTERNAL' };
}
