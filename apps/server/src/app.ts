import { randomUUID } from 'node:crypto';
import { buildOpenApiDocument, createContextFactory, LiveHub } from '@pulse/api';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ServerConfig } from './config.js';
import { createServerMetrics } from './metrics.js';
import { docsPlugin } from './plugins/docs.js';
import { registerErrorHandlers } from './plugins/errors.js';
import { registerHealthRoutes } from './plugins/health.js';
import { registerMetricsRoutes } from './plugins/metrics.js';
import { restPlugin } from './plugins/rest.js';
import { registerSecurity } from './plugins/security.js';
import { ssePlugin } from './plugins/sse.js';
import { trpcPlugin } from './plugins/trpc.js';
import { openResources, type Resources } from './resources.js';
import { PULSE_VERSION } from './version.js';
import { startWorkers } from './workers.js';

declare module 'fastify' {
  interface FastifyInstance {
    pulse: Resources & { config: ServerConfig; live: LiveHub };
  }
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Runs a shutdown step, giving up (with a log line) after `limitMs`. */
function boundedStep(log: FastifyBaseLogger, limitMs: number) {
  return async (name: string, work: () => Promise<unknown> | undefined) => {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(resolve, limitMs, 'timeout');
    });
    try {
      const outcome = await Promise.race([
        Promise.resolve(work()).then(() => 'done' as const),
        gaveUp,
      ]);
      if (outcome === 'timeout')
        log.warn({ step: name, limitMs }, 'shutdown step did not finish in time; moving on');
    } catch (error) {
      log.error({ err: error, step: name }, 'shutdown step failed');
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * Builds a ready-to-listen server: resources opened, schema migrated, every route
 * registered. Does not listen; `app.close()` releases everything it opened.
 */
export async function buildServer(
  config: ServerConfig,
  options: { logger?: boolean } = {},
): Promise<FastifyInstance> {
  const startedAt = new Date();
  const app = Fastify({
    logger:
      options.logger === false && config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    // Honour a caller's request id when it looks like one, so logs join up across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    forceCloseConnections: 'idle',
    // tRPC batches name every procedure in the path (/trpc/a.b,c.d,…); Fastify's default of
    // 100 characters refused batches of five or more with 414.
    routerOptions: { maxParamLength: 5000 },
    return503OnClosing: true,
  });
  const resources = await openResources(config, { log: app.log });
  const workers = config.workers.inProcess
    ? await startWorkers(config, resources.database, app.log).catch(async (error: unknown) => {
        await resources.close();
        throw error;
      })
    : undefined;
  const live = new LiveHub({
    infra: resources.infra,
    database: resources.database,
    settings: config.live,
    log: app.log,
  });
  app.decorate('pulse', { ...resources, config, live });
  app.addHook('onClose', async () => {
    // Jobs finish their runs before the database they write to is closed. Each step is bounded:
    // a dependency that stopped answering (Redis down) must not hold the process hostage.
    const step = boundedStep(app.log, config.http.shutdownTimeoutMs / 3);
    await step('workers', () => workers?.stop());
    await step('live feeds', () => live.close());
    await step('database and Redis', () => resources.close());
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });

  let openSockets = () => 0;
  const metrics = createServerMetrics({
    database: resources.database,
    infra: resources.infra,
    openSockets: () => openSockets(),
    live: () => live.stats(),
  });
  const makeContext = createContextFactory({
    config: config.api,
    database: resources.database,
    infra: resources.infra,
    tokens: resources.tokens,
    version: PULSE_VERSION,
    startedAt,
    observeProcedure: metrics.observeProcedure,
    live,
  });

  registerErrorHandlers(app);
  await registerSecurity(app, config.http.corsOrigins);
  registerMetricsRoutes(app, metrics);
  registerHealthRoutes(app, { ...resources, version: PULSE_VERSION, startedAt });

  await app.register(async (scope) => {
    await trpcPlugin(scope, {
      makeContext,
      heartbeatMs: config.http.wsHeartbeatMs,
      maxPayloadBytes: config.http.bodyLimitBytes,
    });
    openSockets = () => scope.websocketServer?.clients.size ?? 0;
  });
  // Before the REST adapter: its /api/v1/* catch-all must not see /api/v1/stream/*.
  await app.register(ssePlugin, { makeContext, heartbeatMs: config.http.wsHeartbeatMs });
  await app.register(restPlugin, { makeContext, maxBodyBytes: config.http.bodyLimitBytes });
  await app.register(docsPlugin, {
    document: buildOpenApiDocument({ version: PULSE_VERSION, baseUrl: config.api.publicUrl }),
  });
  return app;
}
