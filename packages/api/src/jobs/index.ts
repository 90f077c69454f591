import { BullMqJobs } from './jobs.bullmq.js';
import { InProcessJobs } from './jobs.in-process.js';
import type { JobDefinition, JobLog, Jobs, RetryPolicy } from './jobs.js';

export { BullMqJobs, type BullMqJobsOptions, removeJobQueue } from './jobs.bullmq.js';
export { InProcessJobs, type InProcessJobsOptions } from './jobs.in-process.js';
export {
  DEFAULT_RETRY,
  type JobDefinition,
  type JobLog,
  type JobRun,
  type Jobs,
  type RetryPolicy,
} from './jobs.js';
export {
  applyRetention,
  createMaintenanceJobs,
  ensurePartitionsAhead,
  type MaintenanceSettings,
  type RetentionOutcome,
  retentionCutoff,
} from './maintenance.jobs.js';

export interface JobsOptions {
  /** With Redis the jobs run through BullMQ, shared by every process; without, on timers here. */
  redisUrl?: string;
  keyPrefix?: string;
  log?: JobLog;
  retry?: RetryPolicy;
}

export function createJobs(definitions: readonly JobDefinition[], options: JobsOptions = {}): Jobs {
  return options.redisUrl
    ? new BullMqJobs(definitions, {
        redisUrl: options.redisUrl,
        keyPrefix: options.keyPrefix ?? 'pulse:',
        log: options.log,
        retry: options.retry,
      })
    : new InProcessJobs(definitions, { log: options.log, retry: options.retry });
}
