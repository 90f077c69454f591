import { performance } from 'node:perf_hooks';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import {
  DEFAULT_RETRY,
  type JobDefinition,
  type JobLog,
  type Jobs,
  type RetryPolicy,
  silentJobLog,
} from './jobs.js';

export interface BullMqJobsOptions {
  redisUrl: string;
  /** Namespaces the queue's keys like the rest of Pulse's (`pulse:` → `pulse:jobs:…`). */
  keyPrefix: string;
  log?: JobLog;
  retry?: RetryPolicy;
  /** One queue carries every maintenance job; a second deployment on one Redis needs its own. */
  queueName?: string;
}

type QueueLocation = Pick<BullMqJobsOptions, 'redisUrl' | 'keyPrefix' | 'queueName'>;

function queueSettings(options: QueueLocation) {
  return {
    name: options.queueName ?? 'maintenance',
    // BullMQ opens connections of its own (the worker's blocks on Redis) and requires
    // maxRetriesPerRequest: null on them, unlike Pulse's request-serving connections.
    connection: { url: options.redisUrl, maxRetriesPerRequest: null },
    prefix: `${options.keyPrefix}jobs`,
  };
}

/** Deletes the queue with its schedulers and history (tests; retiring a deployment). */
export async function removeJobQueue(options: QueueLocation): Promise<void> {
  const { name, connection, prefix } = queueSettings(options);
  const queue = new Queue(name, { connection, prefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}

/**
 * Jobs on Redis through BullMQ: each job is a job scheduler (`upsertJobScheduler`), so every
 * process running this class may schedule and work, and each tick is handed to exactly one of
 * them. A worker that dies mid-run has its tick taken over once the lock lapses; the jobs are
 * idempotent, so the rerun does no harm.
 */
export class BullMqJobs implements Jobs {
  readonly kind = 'bullmq';
  readonly #definitions: ReadonlyMap<string, JobDefinition>;
  readonly #options: BullMqJobsOptions;
  readonly #log: JobLog;
  readonly #retry: RetryPolicy;
  readonly #running = new Set<string>();
  #queue: Queue | undefined;
  #worker: Worker | undefined;

  constructor(definitions: readonly JobDefinition[], options: BullMqJobsOptions) {
    this.#definitions = new Map(definitions.map((definition) => [definition.name, definition]));
    this.#options = options;
    this.#log = options.log ?? silentJobLog;
    this.#retry = options.retry ?? DEFAULT_RETRY;
  }

  async start(): Promise<void> {
    if (this.#queue) throw new Error('BullMqJobs already started');
    const { name, connection, prefix } = queueSettings(this.#options);
    this.#queue = new Queue(name, { connection, prefix });
    this.#worker = new Worker(name, (job) => this.#process(job), {
      connection,
      prefix,
      // Different jobs run side by side (retention must not hold up rollups); the same job
      // never does, see #process.
      concurrency: Math.max(1, this.#definitions.size),
    });
    this.#worker.on('failed', (job, error) => {
      const attempt = job?.attemptsMade ?? 0;
      const details = { err: error, job: job?.name, tick: job?.id, attempt };
      if (attempt < (job?.opts.attempts ?? 1)) this.#log.warn(details, 'job failed; will retry');
      else this.#log.error(details, 'job failed; no retries left for this tick');
    });
    this.#worker.on('error', (error) => this.#log.warn({ err: error }, 'job worker error'));
    // Without a listener, connection errors (Redis down) are printed raw on every retry.
    this.#queue.on('error', (error) => this.#log.warn({ err: error }, 'job queue error'));
    for (const definition of this.#definitions.values()) {
      await this.#queue.upsertJobScheduler(
        definition.name,
        { every: definition.everyMs },
        {
          name: definition.name,
          opts: {
            attempts: this.#retry.attempts,
            backoff: { type: 'exponential', delay: this.#retry.backoffMs },
            // Finished ticks are only kept for inspection; without a cap they pile up forever.
            removeOnComplete: { count: 100 },
            removeOnFail: { count: 500 },
          },
        },
      );
    }
  }

  async stop(): Promise<void> {
    // Worker.close() lets the runs in progress finish before it resolves.
    await this.#worker?.close();
    await this.#queue?.close();
  }

  async #process(job: Job): Promise<unknown> {
    const definition = this.#definitions.get(job.name);
    // A scheduler left behind by an older version: failing it for good beats retrying forever.
    if (!definition) throw new UnrecoverableError(`no job named "${job.name}" in this process`);
    // Ticks of one job arrive while its previous run goes on (the next is queued as soon as
    // one starts); this process skips them as the in-process scheduler does.
    if (this.#running.has(definition.name)) return { skipped: 'previous run still in progress' };
    this.#running.add(definition.name);
    const started = performance.now();
    try {
      const tick = job.id ?? `${job.name}:${job.timestamp}`;
      const result = await definition.run({ tick, attempt: job.attemptsMade + 1 });
      const ms = Math.round(performance.now() - started);
      this.#log.debug({ job: definition.name, tick, ms, result }, 'job done');
      return result;
    } finally {
      this.#running.delete(definition.name);
    }
  }
}
