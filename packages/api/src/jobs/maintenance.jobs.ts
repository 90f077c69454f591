import {
  type Database,
  dropPartitionsBefore,
  ensureDailyPartitions,
  PARTITIONED_TABLES,
} from '@pulse/db';
import type { Kysely } from 'kysely';
import { recomputeEventRollups } from '../events/events.rollups.js';
import { recomputeMetricRollups } from '../metrics/metrics.rollups.js';
import type { JobDefinition } from './jobs.js';
import { deleteExpiredRows } from './maintenance.queries.js';

const DAY_MS = 86_400_000;

export interface MaintenanceSettings {
  rollupIntervalMs: number;
  partitionIntervalMs: number;
  retentionIntervalMs: number;
  /** Daily partitions kept ready beyond today. */
  partitionDaysAhead: number;
  /** Raw events, metric points, dedupe ids, dirty marks and ingest counters. */
  retentionDays: number;
  /** Minute and hour rollups (≥ retentionDays: they outlive the rows they summarise). */
  rollupRetentionDays: number;
}

/**
 * The first instant kept: midnight UTC `days` days back. Whole days, so retention drops whole
 * partitions and no hour is left half-summarised.
 */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date((Math.floor(now.getTime() / DAY_MS) - days) * DAY_MS);
}

/** Partitions from yesterday (late events) to `daysAhead` days from now, for each table. */
export async function ensurePartitionsAhead(
  db: Kysely<Database>,
  options: { daysAhead: number; now?: Date },
): Promise<{ created: string[] }> {
  const now = options.now ?? new Date();
  const from = new Date(now.getTime() - DAY_MS);
  const to = new Date(now.getTime() + options.daysAhead * DAY_MS);
  const created: string[] = [];
  for (const table of PARTITIONED_TABLES) {
    created.push(...(await ensureDailyPartitions(db, table, from, to)));
  }
  return { created };
}

export interface RetentionOutcome {
  rawCutoff: string;
  rollupCutoff: string;
  droppedPartitions: string[];
  deletedFromDefault: number;
  deleted: Awaited<ReturnType<typeof deleteExpiredRows>>;
}

export async function applyRetention(
  db: Kysely<Database>,
  options: { retentionDays: number; rollupRetentionDays: number; now?: Date },
): Promise<RetentionOutcome> {
  const now = options.now ?? new Date();
  const raw = retentionCutoff(now, options.retentionDays);
  const rollups = retentionCutoff(now, options.rollupRetentionDays);
  const droppedPartitions: string[] = [];
  let deletedFromDefault = 0;
  for (const table of PARTITIONED_TABLES) {
    const outcome = await dropPartitionsBefore(db, table, raw);
    droppedPartitions.push(...outcome.dropped);
    deletedFromDefault += outcome.deletedFromDefault;
  }
  const deleted = await deleteExpiredRows(db, { raw, rollups });
  return {
    rawCutoff: raw.toISOString(),
    rollupCutoff: rollups.toISOString(),
    droppedPartitions,
    deletedFromDefault,
    deleted,
  };
}

/** The jobs every deployment runs; `now` is injectable so tests can move the clock. */
export function createMaintenanceJobs(
  db: Kysely<Database>,
  settings: MaintenanceSettings,
  options: { now?: () => Date } = {},
): JobDefinition[] {
  const now = options.now ?? (() => new Date());
  return [
    {
      name: 'rollups',
      everyMs: settings.rollupIntervalMs,
      run: async () => {
        const since = retentionCutoff(now(), settings.retentionDays);
        // Settled apart: a failure on one side must not hold the other's rollups back.
        const [events, metrics] = await Promise.allSettled([
          recomputeEventRollups(db, { since }),
          recomputeMetricRollups(db, { since }),
        ]);
        const failures = [events, metrics].flatMap((o) =>
          o.status === 'rejected' ? [o.reason] : [],
        );
        if (failures.length === 1) throw failures[0];
        if (failures.length > 1)
          throw new AggregateError(failures, 'event and metric rollups failed');
        return {
          eventBuckets: events.status === 'fulfilled' ? events.value.buckets : 0,
          metricBuckets: metrics.status === 'fulfilled' ? metrics.value.buckets : 0,
        };
      },
    },
    {
      name: 'partitions',
      everyMs: settings.partitionIntervalMs,
      run: () => ensurePartitionsAhead(db, { daysAhead: settings.partitionDaysAhead, now: now() }),
    },
    {
      name: 'retention',
      everyMs: settings.retentionIntervalMs,
      run: () =>
        applyRetention(db, {
          retentionDays: settings.retentionDays,
          rollupRetentionDays: settings.rollupRetentionDays,
          now: now(),
        }),
    },
  ];
}
