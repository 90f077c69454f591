import type { WorkspaceScope } from '@pulse/db';
import { type RawBuilder, sql } from 'kysely';
import { epochBucket } from '../../metrics/metrics.queries.js';

/** Epoch-aligned windows [from, to) of `seconds` each. */
export interface WindowSpan {
  from: Date;
  to: Date;
  seconds: number;
}

export interface TypeWindowRow {
  bucket: Date;
  type: string;
  count: number;
  revenue: number;
}

export interface TypeStatsOptions {
  /** Only these event types; null: every type. */
  types: readonly string[] | null;
  /** How one event's revenue is computed; `default` is the rollups' own price × quantity. */
  revenue: RawBuilder<unknown> | 'default';
}

const defaultRevenue = sql`price * coalesce(quantity, 1)`;

/** `price`/`quantity` or a JSON number at `properties.<path>` (anything else is null). */
export function numericField(field: string): RawBuilder<unknown> {
  if (field === 'price' || field === 'quantity') return sql.ref(field);
  const path = field.split('.').slice(1);
  return sql`(case when jsonb_typeof(properties #> ${path}::text[]) = 'number'
    then (properties #>> ${path}::text[])::numeric end)`;
}

/** The SQL for one event's revenue under `TypeStatsOptions['revenue']`. */
export function revenueExpression(source: TypeStatsOptions['revenue']): RawBuilder<unknown> {
  return source === 'default' ? defaultRevenue : source;
}

export function revenueOf(priceField: string, quantityField: string): RawBuilder<unknown> {
  return sql`${numericField(priceField)} * coalesce(${numericField(quantityField)}, 1)`;
}

/**
 * Runs a read with JIT compilation off. PostgreSQL decides on JIT from cost estimates, and
 * the LATERAL branches over stale buckets are estimated at thousands of rows even when there
 * are none: compiling then took 3–6 s on a busy two-core machine for statements that run in
 * milliseconds. `SET LOCAL` needs a transaction, so the read gets one.
 */
export function readWithoutJit<R>(scope: WorkspaceScope, query: RawBuilder<R>) {
  return scope.transaction(async (trx) => {
    await trx.executeRaw(sql`set local jit = off`);
    return trx.executeRaw(query);
  });
}

const RESOLUTIONS = [
  { name: '1h', seconds: 3_600 },
  { name: '1m', seconds: 60 },
] as const;

/**
 * Count and revenue per window and event type. Served from `event_rollups` (hour rows for
 * windows of whole hours, else minute rows) when they hold the revenue asked for: counts and
 * revenue add up over buckets. Buckets still marked dirty (not rolled up yet) are read from
 * raw events in the same statement, so the answer is exact at one snapshot.
 */
export async function typeStatsPerWindow(
  scope: WorkspaceScope,
  span: WindowSpan,
  options: TypeStatsOptions,
): Promise<TypeWindowRow[]> {
  const resolution = RESOLUTIONS.find((r) => span.seconds % r.seconds === 0);
  const rollupsExact = resolution !== undefined && options.revenue === 'default';
  const { rows } = await readWithoutJit(
    scope,
    rollupsExact ? fromRollups(scope, span, options, resolution) : fromEvents(scope, span, options),
  );
  return rows.map((row) => ({
    bucket: new Date(row.bucket),
    type: row.type,
    count: Number(row.count),
    revenue: Number(row.revenue),
  }));
}

function typeFilter(types: readonly string[] | null, column: RawBuilder<unknown>) {
  return types ? sql`and ${column} = any(${types}::text[])` : sql``;
}

function fromEvents(scope: WorkspaceScope, span: WindowSpan, options: TypeStatsOptions) {
  const revenue = revenueExpression(options.revenue);
  return sql<TypeWindowRow>`
    select ${epochBucket(sql`timestamp`, span.seconds)} as bucket, type,
           count(*)::float8 as count,
           coalesce(sum(${revenue}), 0)::float8 as revenue
    from events
    where workspace_id = ${scope.workspaceId}
      and timestamp >= ${span.from} and timestamp < ${span.to}
      ${typeFilter(options.types, sql`type`)}
    group by 1, 2
    order by 1, 2`;
}

function fromRollups(
  scope: WorkspaceScope,
  span: WindowSpan,
  options: TypeStatsOptions,
  resolution: (typeof RESOLUTIONS)[number],
) {
  return sql<TypeWindowRow>`
    with stale as (
      select distinct ${epochBucket(sql`d.bucket`, resolution.seconds)} as bucket
      from rollup_dirty d
      where d.workspace_id = ${scope.workspaceId} and d.source = 'events'
        and d.bucket >= ${span.from} and d.bucket < ${span.to}
    ),
    rolled as (
      select r.bucket as at, r.type, r.count::float8 as count, r.revenue::float8 as revenue
      from event_rollups r
      where r.workspace_id = ${scope.workspaceId} and r.resolution = ${resolution.name}
        and r.bucket >= ${span.from} and r.bucket < ${span.to}
        ${typeFilter(options.types, sql`r.type`)}
        and r.bucket not in (select bucket from stale)
    ),
    -- One index probe per stale bucket; OFFSET 0 keeps the planner from flattening it into
    -- a join over the whole span.
    raw as (
      select g.bucket as at, e.type, e.count, e.revenue
      from stale g
      cross join lateral (
        select type, count(*)::float8 as count,
               coalesce(sum(${defaultRevenue}), 0)::float8 as revenue
        from events
        where workspace_id = ${scope.workspaceId}
          and timestamp >= g.bucket
          and timestamp < g.bucket + ${resolution.seconds}::int * interval '1 second'
          and timestamp >= ${span.from} and timestamp < ${span.to}
          ${typeFilter(options.types, sql`type`)}
        group by type
        offset 0
      ) e
    )
    select ${epochBucket(sql`at`, span.seconds)} as bucket, type, sum(count) as count,
           sum(revenue) as revenue
    from (select * from rolled union all select * from raw) combined
    group by 1, 2
    order by 1, 2`;
}

/** The newest event timestamp at or before `now` (client clocks may run ahead). */
export async function lastEventAt(scope: WorkspaceScope, now: Date): Promise<Date | null> {
  const row = await scope
    .selectFrom('events')
    .select((eb) => eb.fn.max('timestamp').as('last'))
    .where('timestamp', '<=', now)
    .executeTakeFirst();
  return row?.last ? new Date(row.last) : null;
}
