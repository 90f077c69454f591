import type { WorkspaceScope } from '@pulse/db';
import { type RawBuilder, sql } from 'kysely';
import type { PageCursor } from '../pagination.js';
import { SKETCH_LN_GAMMA } from './sketch.js';

/** A point after validation and defaulting, ready for storage. */
export interface NewMetricPoint {
  name: string;
  value: number;
  tags: Record<string, string>;
  timestamp: Date;
}

export interface StoredMetricPoint {
  id: string;
  name: string;
  value: number;
  tags: Record<string, string>;
  timestamp: Date;
  received_at: Date;
}

/**
 * Stores a batch in ONE statement (one round trip, one transaction): the points, a dirty mark
 * per distinct minute they fall in (so the rollup job recomputes those minutes) and the
 * batch's counters. Answers the stored rows.
 */
export async function insertMetricPoints(
  scope: WorkspaceScope,
  points: readonly NewMetricPoint[],
): Promise<StoredMetricPoint[]> {
  const { rows } = await scope.executeRaw(sql<StoredMetricPoint>`
    with stored as (
      insert into metric_points (workspace_id, name, value, tags, timestamp)
      select ${scope.workspaceId}::uuid, t.name, t.value, t.tags::jsonb, t.timestamp
      from unnest(
        ${points.map((p) => p.name)}::text[],
        ${points.map((p) => p.value)}::float8[],
        ${points.map((p) => JSON.stringify(p.tags))}::text[],
        ${points.map((p) => p.timestamp.toISOString())}::timestamptz[]
      ) with ordinality as t(name, value, tags, timestamp, position)
      order by t.position
      returning id, name, value, tags, timestamp, received_at
    ),
    marked as (
      insert into rollup_dirty (workspace_id, source, bucket)
      select distinct ${scope.workspaceId}::uuid, 'metrics', ${epochBucket(sql`timestamp`, 60)}
      from stored
    ),
    counted as (
      insert into ingest_stats (workspace_id, source, accepted, duplicates, rejected)
      select ${scope.workspaceId}::uuid, 'metrics', count(*), 0, 0 from stored
    )
    select id, name, value, tags, timestamp, received_at from stored order by id`);
  return rows.map(normalizeRow);
}

export interface MetricFilters {
  name?: string;
  from?: Date;
  to?: Date;
  tags?: Record<string, string>;
}

/** Newest first; ties on timestamp broken by id so pages never overlap or skip. */
export async function listMetricPoints(
  scope: WorkspaceScope,
  filters: MetricFilters,
  page: { limit: number; before?: PageCursor },
): Promise<StoredMetricPoint[]> {
  let query = scope
    .selectFrom('metric_points')
    .select(['id', 'name', 'value', 'tags', 'timestamp', 'received_at'])
    .orderBy('timestamp', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (filters.name) query = query.where('name', '=', filters.name);
  if (filters.from) query = query.where('timestamp', '>=', filters.from);
  if (filters.to) query = query.where('timestamp', '<', filters.to);
  if (filters.tags) query = query.where(hasTags(filters.tags));
  const before = page.before;
  if (before) {
    query = query.where((eb) =>
      eb(eb.refTuple('timestamp', 'id'), '<', eb.tuple(new Date(before.at), before.id)),
    );
  }
  return (await query.execute()).map(normalizeRow);
}

export async function findMetricPoint(
  scope: WorkspaceScope,
  id: string,
): Promise<StoredMetricPoint | undefined> {
  const row = await scope
    .selectFrom('metric_points')
    .select(['id', 'name', 'value', 'tags', 'timestamp', 'received_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && normalizeRow(row);
}

/** Walks the (workspace, name, timestamp, id) primary key backwards: one row per partition. */
export async function findLatestMetricPoint(
  scope: WorkspaceScope,
  name: string,
  tags?: Record<string, string>,
): Promise<StoredMetricPoint | undefined> {
  let query = scope
    .selectFrom('metric_points')
    .select(['id', 'name', 'value', 'tags', 'timestamp', 'received_at'])
    .where('name', '=', name)
    .orderBy('timestamp', 'desc')
    .orderBy('id', 'desc')
    .limit(1);
  if (tags) query = query.where(hasTags(tags));
  const row = await query.executeTakeFirst();
  return row && normalizeRow(row);
}

export function hasTags(tags: Record<string, string>): RawBuilder<boolean> {
  return sql<boolean>`tags @> ${JSON.stringify(tags)}::jsonb`;
}

/**
 * Start of the `seconds`-wide bucket holding `time`, counted from the Unix epoch. Arithmetic
 * on the epoch rather than date_trunc/date_bin: independent of the session time zone and
 * exact for times before 1970.
 */
export function epochBucket(time: RawBuilder<unknown>, seconds: number): RawBuilder<Date> {
  return sql<Date>`to_timestamp(floor(extract(epoch from ${time}) / ${seconds}::int8) * ${seconds}::int8)`;
}

/**
 * Builds sketches in SQL, bucket for bucket the same as sketch.ts: `sketchCellColumns` gives
 * each value its side and bucket index; grouping the cells and applying `sketchFromCells`
 * (over columns `side`, `idx`, `n`) yields the stored `{zero, pos, neg}` JSON.
 */
export function sketchCellColumns(value: RawBuilder<unknown>) {
  return sql`sign(${value})::int as side,
    case when ${value} = 0 then 0
         else ceil(ln(abs(${value})) / ${SKETCH_LN_GAMMA}::float8)::int end as idx`;
}

export const sketchFromCells = sql`jsonb_build_object(
    'zero', coalesce(sum(n) filter (where side = 0), 0),
    'pos', coalesce(jsonb_object_agg(idx::text, n) filter (where side > 0), '{}'::jsonb),
    'neg', coalesce(jsonb_object_agg(idx::text, n) filter (where side < 0), '{}'::jsonb))`;

function normalizeRow(row: {
  id: string;
  name: string;
  value: number | string;
  tags: unknown;
  timestamp: Date | string;
  received_at: Date | string;
}): StoredMetricPoint {
  return {
    id: String(row.id),
    name: row.name,
    value: Number(row.value),
    tags: (typeof row.tags === 'string' ? JSON.parse(row.tags) : (row.tags ?? {})) as Record<
      string,
      string
    >,
    timestamp: new Date(row.timestamp),
    received_at: new Date(row.received_at),
  };
}
