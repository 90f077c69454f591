import type { Database, RollupSource } from '@pulse/db';
import { type Kysely, sql } from 'kysely';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

export interface RollupOptions {
  /** Dirty marks claimed (and their minutes recomputed) per transaction. */
  batchSize?: number;
  /** Transactions per call at most, so one call (one job tick) stays bounded under load. */
  maxBatches?: number;
  /**
   * Marks for minutes before this are consumed without recomputing: retention has taken their
   * raw rows, and recomputing from what is left would erase rollups that are kept longer.
   */
  since?: Date;
}

export interface Bucket {
  workspaceId: string;
  at: number;
}

/** Recomputes the given minutes, then the given hours, replacing what was stored. */
export type RecomputeBuckets = (
  trx: Kysely<Database>,
  buckets: { minutes: readonly Bucket[]; hours: readonly Bucket[] },
) => Promise<void>;

/**
 * The shared loop of the events and metrics rollups. Each transaction claims a batch of dirty
 * marks of one source, locks the (workspace, hour) pairs they touch, and recomputes them from
 * raw rows; marks are deleted in the same transaction as the rows they caused, so a crash
 * leaves them for the next run and a rerun never counts anything twice. Serves every
 * workspace at once: recompute statements must match on `workspace_id`.
 */
export async function runRollups(
  db: Kysely<Database>,
  source: RollupSource,
  options: RollupOptions,
  recompute: RecomputeBuckets,
): Promise<{ buckets: number }> {
  const batchSize = options.batchSize ?? 1_000;
  const maxBatches = options.maxBatches ?? 50;
  let buckets = 0;
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const outcome = await db.transaction().execute(async (trx) => {
      const claimed = await claimMarks(trx, source, batchSize, options.since);
      if (claimed.minutes.length > 0) await recompute(trx, claimed);
      return { claimed: claimed.marks, buckets: claimed.minutes.length };
    });
    buckets += outcome.buckets;
    if (outcome.claimed < batchSize) break;
  }
  return { buckets };
}

async function claimMarks(
  trx: Kysely<Database>,
  source: RollupSource,
  batchSize: number,
  since?: Date,
) {
  // SKIP LOCKED: concurrent runs (several workers, or a slow tick overlapping the next) split
  // the marks between them instead of waiting on each other.
  const { rows: marks } = await sql<{ workspace_id: string; bucket: Date | string }>`
    delete from rollup_dirty
    where ctid in (
      select ctid from rollup_dirty where source = ${source}
      limit ${batchSize} for update skip locked)
    returning workspace_id, bucket`.execute(trx);

  const minutes = distinctBuckets(marks, MINUTE_MS, since);
  const hours = distinctBuckets(
    minutes.map((m) => ({ workspace_id: m.workspaceId, bucket: new Date(m.at) })),
    HOUR_MS,
  );
  // Two runs holding different minutes of one hour would each rebuild that hour without the
  // other's minute, so one transaction at a time works on a (workspace, hour). Locks are taken
  // in sorted order, so runs cannot deadlock; the source keeps events and metrics apart.
  if (hours.length > 0) {
    await sql`
      select pg_advisory_xact_lock(hashtext(${`${source}:`} || t.workspace_id), t.hour)
      from unnest(${hours.map((h) => h.workspaceId)}::text[],
                  ${hours.map((h) => h.at / HOUR_MS)}::int4[]) as t(workspace_id, hour)`.execute(
      trx,
    );
  }
  return { marks: marks.length, minutes, hours };
}

function distinctBuckets(
  marks: readonly { workspace_id: string; bucket: Date | string }[],
  sizeMs: number,
  since?: Date,
): Bucket[] {
  const found = new Map<string, Bucket>();
  for (const mark of marks) {
    const time = new Date(mark.bucket).getTime();
    if (since && time < since.getTime()) continue;
    const at = Math.floor(time / sizeMs) * sizeMs;
    found.set(`${mark.workspace_id}|${at}`, { workspaceId: mark.workspace_id, at });
  }
  return [...found.values()].sort((a, b) =>
    a.workspaceId === b.workspaceId ? a.at - b.at : a.workspaceId < b.workspaceId ? -1 : 1,
  );
}

/** The buckets as an SQL row source `(workspace_id uuid, bucket timestamptz)`. */
export const bucketRows = (buckets: readonly Bucket[]) => sql`
  unnest(${buckets.map((b) => b.workspaceId)}::uuid[],
         ${buckets.map((b) => new Date(b.at).toISOString())}::timestamptz[])`;
