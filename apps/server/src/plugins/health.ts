import type { Infra } from '@pulse/api';
import type { PulseDatabase } from '@pulse/db';
import type { FastifyInstance } from 'fastify';

const CHECK_TIMEOUT_MS = 2000;

interface Check {
  status: 'up' | 'down';
  kind: string;
  latencyMs?: number;
  error?: string;
}

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { database: PulseDatabase; infra: Infra; version: string; startedAt: Date },
): void {
  // Liveness: the process answers. Never touches dependencies, so a slow database does not
  // get a healthy process restarted.
  app.get('/health', { logLevel: 'warn' }, async () => ({
    status: 'ok',
    version: deps.version,
    startedAt: deps.startedAt.toISOString(),
    uptimeSeconds: Math.round((Date.now() - deps.startedAt.getTime()) / 1000),
  }));

  // Readiness: can this process serve traffic right now?
  app.get('/healthz', { logLevel: 'warn' }, async (_request, reply) => {
    const [database, redis] = await Promise.all([
      check(deps.database.kind, () => deps.database.ping()),
      deps.infra.kind === 'redis'
        ? check('redis', () => deps.infra.ping())
        : Promise.resolve<Check>({ status: 'up', kind: 'in-process' }),
    ]);
    const ready = database.status === 'up' && redis.status === 'up';
    return reply.status(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'unavailable',
      version: deps.version,
      checks: { database, redis },
    });
  });
}

async function check(kind: string, ping: () => Promise<number>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const latencyMs = await Promise.race([
      ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { status: 'up', kind, latencyMs: Math.round(latencyMs * 100) / 100 };
  } catch (error) {
    return { status: 'down', kind, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
