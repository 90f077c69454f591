import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { appRouter } from './root.js';

export const REST_BASE_PATH = '/api/v1';

/** The REST surface's contract, generated from the same routers the RPC clients use. */
export function buildOpenApiDocument(options: { version: string; baseUrl: string }): OpenAPIObject {
  const document = generateOpenApiDocument(appRouter, {
    title: 'Pulse API',
    description:
      'Real-time analytics backend. Every operation is also available over tRPC (HTTP and WebSocket) through the TypeScript SDK.',
    version: options.version,
    baseUrl: `${options.baseUrl.replace(/\/$/, '')}${REST_BASE_PATH}`,
    securitySchemes: {
      Authorization: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    },
  });
  return describeDeleteBodies(document);
}

interface QueryParameter {
  name: string;
  in: 'query';
  required?: boolean;
  schema?: object;
  description?: string;
}

/**
 * The adapter reads DELETE inputs from the query string; the server also accepts them as a
 * JSON body (secrets such as a confirming password do not belong in URLs and access logs), and
 * the document says so, which is the way clients should send them.
 */
function describeDeleteBodies(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths ?? {})) {
    const operation = path.delete;
    if (!operation?.parameters) continue;
    const isQuery = (p: object) => 'in' in p && p.in === 'query';
    const query = operation.parameters.filter(isQuery) as QueryParameter[];
    if (query.length === 0) continue;
    operation.parameters = operation.parameters.filter((p) => !isQuery(p));
    operation.requestBody = {
      required: query.some((p) => p.required),
      content: {
        'application/json': {
          schema: {
            type: 'object',
            additionalProperties: false,
            properties: Object.fromEntries(
              query.map((p) => [
                p.name,
                { ...p.schema, ...(p.description ? { description: p.description } : {}) },
              ]),
            ),
            required: query.filter((p) => p.required).map((p) => p.name),
          },
        },
      },
    };
  }
  return document;
}
