import { performance } from 'node:perf_hooks';
import {
  backoffDelayMs,
  DEFAULT_RETRY,
  type JobDefinition,
  type JobLog,
  type Jobs,
  type RetryPolicy,
  silentJobLog,
} from './jobs.js';

export interface InProcessJobsOptions {
  log?: JobLog;
  retry?: RetryPolicy;
}

/**
 * Timers in this process: right for one server without Redis. A tick that comes while the
 * previous run of the same job is still going is skipped rather than queued, so a slow run
 * never piles work up behind it.
 */
export class InProcessJobs implements Jobs {
  readonly kind = 'in-process';
  readonly #definitions: readonly JobDefinition[];
  readonly #log: JobLog;
  readonly #retry: RetryPolicy;
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #running = new Map<string, Promise<void>>();
  /** Resolvers of pending backoff waits, so stop() does not sit out a long backoff. */
  readonly #sleepers = new Set<() => void>();
  #started = false;
  #stopping = false;

  constructor(definitions: readonly JobDefinition[], options: InProcessJobsOptions = {}) {
    this.#definitions = definitions;
    this.#log = options.log ?? silentJobLog;
    this.#retry = options.retry ?? DEFAULT_RETRY;
  }

  async start(): Promise<void> {
    if (this.#started) throw new Error('InProcessJobs already started');
    this.#started = true;
    for (const definition of this.#definitions) {
      // Unref'd: the schedule alone never keeps a process alive (a CLI command or a test can
      // end without calling stop()); the server and the worker hold the process open.
      const timer = setInterval(() => this.#tick(definition), definition.everyMs);
      timer.unref();
      this.#timers.push(timer);
      // A first tick right away, as BullMQ's `every` does: a process restarted more often
      // than an hourly job's interval would otherwise never run it.
      this.#tick(definition);
    }
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers.length = 0;
    for (const wake of this.#sleepers) wake();
    await Promise.all(this.#running.values());
  }

  /** Names of the jobs running at this moment. */
  get running(): string[] {
    return [...this.#running.keys()];
  }

  #tick(definition: JobDefinition): void {
    if (this.#stopping) return;
    if (this.#running.has(definition.name)) {
      this.#log.debug({ job: definition.name }, 'previous run still in progress; tick skipped');
      return;
    }
    const tick = `${definition.name}:${Date.now()}`;
    const run = this.#runWithRetries(definition, tick).finally(() => {
      this.#running.delete(definition.name);
    });
    this.#running.set(definition.name, run);
  }

  async #runWithRetries(definition: JobDefinition, tick: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const started = performance.now();
      try {
        const result = await definition.run({ tick, attempt });
        const ms = Math.round(performance.now() - started);
        this.#log.debug({ job: definition.name, tick, attempt, ms, result }, 'job done');
        return;
      } catch (error) {
        const last = attempt >= this.#retry.attempts || this.#stopping;
        const details = { err: error, job: definition.name, tick, attempt };
        if (last) {
          this.#log.error(details, 'job failed; no retries left for this tick');
          return;
        }
        const delayMs = backoffDelayMs(this.#retry, attempt);
        this.#log.warn({ ...details, retryInMs: delayMs }, 'job failed; will retry');
        await this.#sleep(delayMs);
        if (this.#stopping) return;
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.#sleepers.add(wake);
    });
  }
}
