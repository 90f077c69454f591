/** What one execution of a job knows about itself. */
export interface JobRun {
  /** Identifies the tick: the same on every retry of it, different for the next tick. */
  tick: string;
  /** 1 on the first try, 2 on the first retry, … */
  attempt: number;
}

/**
 * A repeatable job. `run` must be idempotent: a tick may be retried after a failure, and a
 * worker killed mid-run has its tick run again elsewhere.
 */
export interface JobDefinition {
  name: string;
  everyMs: number;
  run(job: JobRun): Promise<unknown>;
}

/** How a failed tick is retried: `attempts` tries in all, waiting backoffMs, 2×, 4×, … between. */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, backoffMs: 1_000 };

/** The subset of pino the schedulers log through (Fastify's logger fits). */
export interface JobLog {
  debug(object: object, message: string): void;
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export const silentJobLog: JobLog = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** Runs a fixed set of repeatable jobs until stopped. */
export interface Jobs {
  readonly kind: 'bullmq' | 'in-process';
  /** Schedules every job; the first tick of each comes one interval after start. */
  start(): Promise<void>;
  /** Stops scheduling and waits for the runs in progress to finish. */
  stop(): Promise<void>;
}

/** Exponential backoff before retry number `attempt` (1 = the first retry). */
export function backoffDelayMs(policy: RetryPolicy, attempt: number): number {
  return policy.backoffMs * 2 ** (attempt - 1);
}
