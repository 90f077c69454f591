import type { Database } from '@pulse/db';
import type { Kysely } from 'kysely';
import type { JobDefinition } from '../jobs/jobs.js';
import { pruneHistory } from './history.queries.js';

const DAY_MS = 86_400_000;

/**
 * Keeps the rollup tables' history bounded: versions older than `days` (but never a table's
 * newest) and the row images only they could see are deleted. Each rollup run that changes
 * a bucket adds one image per changed row, so without this history would grow for ever.
 */
export function createHistoryRetentionJob(
  db: Kysely<Database>,
  settings: { everyMs: number; days: number },
  options: { now?: () => Date } = {},
): JobDefinition {
  const now = options.now ?? (() => new Date());
  return {
    name: 'history-retention',
    everyMs: settings.everyMs,
    run: () => pruneHistory(db, new Date(now().getTime() - settings.days * DAY_MS)),
  };
}
