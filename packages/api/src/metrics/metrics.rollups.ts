import type { Database } from '@pulse/db';
import { type Kysely, sql } from 'kysely';
import {
  type Bucket,
  bucketRows,
  MINUTE_MS,
  type RollupOptions,
  runRollups,
} from '../rollups/rollup-runner.js';
import { epochBucket, sketchCellColumns, sketchFromCells } from './metrics.queries.js';

export type MetricRollupOptions = RollupOptions;

/**
 * Brings `metric_rollups` up to date with every minute marked dirty by ingestion. A minute's
 * 1m rows are recomputed from the raw points (one per name and tag set: count, sum, min, max
 * and a sketch, see sketch.ts) and replace the stored ones; then the 1h rows of each hour and
 * name that changed are recomputed from the 1m rows. Nothing is ever added to a stored row,
 * so a late point or a rerun never counts twice (see rollup-runner.ts for claiming, locking
 * and crash safety).
 */
export function recomputeMetricRollups(
  db: Kysely<Database>,
  options: MetricRollupOptions = {},
): Promise<{ buckets: number }> {
  return runRollups(db, 'metrics', options, async (trx, { minutes }) => {
    await rebuildHours(trx, await rebuildMinutes(trx, minutes));
  });
}

const targets = bucketRows;

/** Explicit outer bounds let the planner prune metric_points to the days involved. */
function timeRange(buckets: readonly Bucket[], sizeMs: number) {
  const times = buckets.map((b) => b.at);
  return {
    from: new Date(Math.min(...times)).toISOString(),
    to: new Date(Math.max(...times) + sizeMs).toISOString(),
  };
}

/**
 * Upserts the minutes' 1m rows on their unique key (which leads with the name, so every
 * statement here walks the index by name, never a workspace's whole history). Points are
 * append-only, so a recomputed minute holds every (name, tags) it held before: replacing row
 * by row is replacing the minute. Answers the (workspace, hour, name) whose hour rows change.
 */
async function rebuildMinutes(trx: Kysely<Database>, minutes: readonly Bucket[]) {
  const range = timeRange(minutes, MINUTE_MS);
  const { rows } = await sql<{ workspace_id: string; bucket: Date | string; name: string }>`
    with points as (
      -- One index probe per minute. Joined plainly, the planner merges on workspace_id alone
      -- and compares every target with every point of the workspace; OFFSET 0 keeps it from
      -- flattening the LATERAL subquery back into that join.
      select t.workspace_id, t.bucket, p.name, p.tags, p.value
      from ${targets(minutes)} as t(workspace_id, bucket)
      cross join lateral (
        select name, tags, value from metric_points
        where workspace_id = t.workspace_id
          and timestamp >= t.bucket and timestamp < t.bucket + interval '1 minute'
          and timestamp >= ${range.from}::timestamptz and timestamp < ${range.to}::timestamptz
        offset 0
      ) p
    ),
    -- One pass: each sketch cell carries its own count, sum, min and max.
    cells as (
      select workspace_id, bucket, name, tags, ${sketchCellColumns(sql`value`)}, count(*) as n,
             sum(value) as sum, min(value) as min, max(value) as max
      from points group by 1, 2, 3, 4, 5, 6
    ),
    series as (
      select workspace_id, bucket, name, tags, sum(n) as count, sum(sum) as sum,
             min(min) as min, max(max) as max, ${sketchFromCells} as sketch
      from cells group by 1, 2, 3, 4
    ),
    written as (
      ${insertRollup}
      select workspace_id, '1m', bucket, name, tags, count, sum, min, max, sketch, now()
      from series
      ${onConflictReplace}
      returning workspace_id, bucket, name
    )
    select distinct workspace_id, ${epochBucket(sql`bucket`, 3_600)} as bucket, name
    from written`.execute(trx);
  return rows.map((row) => ({
    workspaceId: row.workspace_id,
    at: new Date(row.bucket).getTime(),
    name: row.name,
  }));
}

/** Hours add up from their minutes; sketches merge by adding counts bucket by bucket. */
async function rebuildHours(
  trx: Kysely<Database>,
  series: readonly { workspaceId: string; at: number; name: string }[],
) {
  if (series.length === 0) return;
  await sql`
    with target as (
      select * from unnest(${series.map((s) => s.workspaceId)}::uuid[],
                           ${series.map((s) => new Date(s.at).toISOString())}::timestamptz[],
                           ${series.map((s) => s.name)}::text[]) as t(workspace_id, bucket, name)
    ),
    minutes as (
      select t.workspace_id, t.bucket, t.name, r.tags, r.count, r.sum, r.min, r.max, r.sketch
      from target t
      cross join lateral (
        select tags, count, sum, min, max, sketch from metric_rollups
        where workspace_id = t.workspace_id and resolution = '1m' and name = t.name
          and bucket >= t.bucket and bucket < t.bucket + interval '1 hour'
        offset 0
      ) r
    ),
    stats as (
      select workspace_id, bucket, name, tags, sum(count) as count, sum(sum) as sum,
             min(min) as min, max(max) as max
      from minutes group by 1, 2, 3, 4
    ),
    cells as (
      select workspace_id, bucket, name, tags, 0 as side, 0 as idx,
             sum((sketch ->> 'zero')::int8) as n
      from minutes group by 1, 2, 3, 4
      union all
      select m.workspace_id, m.bucket, m.name, m.tags, 1, e.key::int, sum(e.value::int8)
      from minutes m cross join lateral jsonb_each_text(m.sketch -> 'pos') e
      group by 1, 2, 3, 4, 6
      union all
      select m.workspace_id, m.bucket, m.name, m.tags, -1, e.key::int, sum(e.value::int8)
      from minutes m cross join lateral jsonb_each_text(m.sketch -> 'neg') e
      group by 1, 2, 3, 4, 6
    ),
    sketches as (
      select workspace_id, bucket, name, tags, ${sketchFromCells} as sketch
      from cells group by 1, 2, 3, 4
    )
    ${insertRollup}
    select s.workspace_id, '1h', s.bucket, s.name, s.tags, s.count, s.sum, s.min, s.max,
           k.sketch, now()
    from stats s
    join sketches k on k.workspace_id = s.workspace_id and k.bucket = s.bucket
                   and k.name = s.name and k.tags = s.tags
    ${onConflictReplace}`.execute(trx);
}

const insertRollup = sql`
  insert into metric_rollups (workspace_id, resolution, bucket, name, tags, count, sum, min,
                              max, sketch, updated_at)`;

const onConflictReplace = sql`
  on conflict (workspace_id, resolution, name, bucket, tags) do update
    set count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max,
        sketch = excluded.sketch, updated_at = excluded.updated_at`;
