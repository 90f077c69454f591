import {
  createHistoryRetentionJob,
  createJobs,
  createMaintenanceJobs,
  ensurePartitionsAhead,
  type JobLog,
  type Jobs,
} from '@pulse/api';
import type { PulseDatabase } from '@pulse/db';
import { pino } from 'pino';
import type { ServerConfig } from './config.js';
import { openResources } from './resources.js';

/**
 * Starts the maintenance jobs (rollups, partitions, retention) for this process: on BullMQ
 * when Redis is configured, so any number of servers and workers share each tick, else on
 * timers here. Today's partitions are ensured first, before the caller takes any traffic.
 * With Redis configured but unreachable, scheduling goes on in the background (BullMQ cannot
 * schedule without Redis) so the server still starts and its readiness check reports Redis down.
 */
const SCHEDULING_WAIT_MS = 5_000;

export async function startWorkers(
  config: ServerConfig,
  database: PulseDatabase,
  log: JobLog,
): Promise<Jobs> {
  const settings = config.workers;
  const { created } = await ensurePartitionsAhead(database.db, {
    daysAhead: settings.partitionDaysAhead,
  });
  if (created.length > 0) log.info({ created }, 'partitions created');
  const history = createHistoryRetentionJob(database.db, {
    everyMs: settings.retentionIntervalMs,
    days: settings.historyRetentionDays,
  });
  const jobs = createJobs([...createMaintenanceJobs(database.db, settings), history], {
    redisUrl: config.redis.url,
    keyPrefix: config.redis.keyPrefix,
    log,
  });
  const started = jobs.start();
  const settled = await Promise.race([
    started.then(() => true),
    new Promise<false>((resolve) => setTimeout(resolve, SCHEDULING_WAIT_MS, false).unref()),
  ]);
  if (!settled) {
    log.warn(
      { waitedMs: SCHEDULING_WAIT_MS },
      'job scheduling is waiting for Redis; continuing in the background',
    );
    started.then(
      () => log.info({ scheduler: jobs.kind }, 'workers started'),
      (error: unknown) => log.error({ err: error }, 'job scheduling failed'),
    );
    return jobs;
  }
  log.info(
    {
      scheduler: jobs.kind,
      rollupIntervalMs: settings.rollupIntervalMs,
      partitionIntervalMs: settings.partitionIntervalMs,
      retentionIntervalMs: settings.retentionIntervalMs,
    },
    'workers started',
  );
  return jobs;
}

/** `pulse worker`: the jobs alone, in a process of their own, until SIGINT/SIGTERM. */
export async function runWorker(config: ServerConfig): Promise<void> {
  const log = pino({ level: config.logLevel, base: { pid: process.pid, role: 'worker' } });
  if (config.database.kind === 'pglite' && config.database.dataDir !== 'memory') {
    // PGlite belongs to one process: a server using the same directory runs its own workers.
    log.warn(
      { dataDir: config.database.dataDir },
      'embedded database: do not run `pulse worker` beside a `pulse server` on the same data directory',
    );
  }
  const resources = await openResources(config, { log });
  let jobs: Jobs;
  try {
    jobs = await startWorkers(config, resources.database, log);
  } catch (error) {
    await resources.close();
    throw error;
  }
  // In-process schedules are unref'd, and a worker has no listening socket: this holds the
  // process open until a signal.
  const keepAlive = setInterval(() => {}, 2 ** 30);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: letting running jobs finish');
    const deadline = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.http.shutdownTimeoutMs);
    deadline.unref();
    let code = 0;
    try {
      await jobs.stop();
    } catch (error) {
      log.error({ err: error }, 'stopping the jobs failed');
      code = 1;
    }
    await resources.close();
    clearInterval(keepAlive);
    log.info('worker stopped');
    // Exiting with a write still in flight lets the exit handler's synchronous flush overtake
    // it: the last lines would reach the log out of order.
    await new Promise<void>((resolve) => log.flush(() => resolve()));
    process.exit(code);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
