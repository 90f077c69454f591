import { buildServer } from './app.js';
import type { ServerConfig } from './config.js';
import { DEMO_OWNER, seedDemo } from './demo-seed.js';

/** Starts a server and stops it cleanly on SIGINT/SIGTERM. */
export async function runServer(config: ServerConfig): Promise<void> {
  const app = await buildServer(config);
  if (config.seedDemo) {
    const { created } = await seedDemo(config, app.pulse);
    app.log.info(
      { email: DEMO_OWNER.email, password: DEMO_OWNER.password },
      created ? 'demo workspace created' : 'demo workspace already present',
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.http.shutdownTimeoutMs);
    deadline.unref();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  const where =
    config.database.kind === 'postgres'
      ? 'PostgreSQL'
      : `embedded PGlite (${config.database.dataDir})`;
  app.log.info(
    `Pulse ${app.pulse.config.api.publicUrl} — database: ${where}; cache/bus: ${app.pulse.infra.kind}; docs at /docs`,
  );
}
