import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

const EXPOSED_HEADERS = [
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Retry-After',
  'X-Request-Id',
];

export async function registerSecurity(app: FastifyInstance, corsOrigins: string[]): Promise<void> {
  await app.register(helmet, {
    // Dashboards on other origins read this API; browsers still enforce CORS below.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    // The only HTML is /docs, which sets its own policy.
    contentSecurityPolicy: false,
  });
  await app.register(cors, {
    origin: corsOrigins.includes('*') ? '*' : corsOrigins.length > 0 ? corsOrigins : false,
    exposedHeaders: EXPOSED_HEADERS,
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'X-Request-Id',
      'Last-Event-ID',
      'trpc-accept',
    ],
    maxAge: 600,
  });
}
