import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { OpenAPIObject } from 'trpc-to-openapi';

/** /openapi.json and an interactive explorer at /docs, both from the generated document. */
export async function docsPlugin(
  scope: FastifyInstance,
  options: { document: OpenAPIObject },
): Promise<void> {
  scope.get('/openapi.json', { logLevel: 'warn' }, async () => options.document);
  await scope.register(swagger, {
    mode: 'static',
    specification: { document: options.document as never },
  });
  await scope.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    uiConfig: { docExpansion: 'list', deepLinking: true, persistAuthorization: true },
  });
}
