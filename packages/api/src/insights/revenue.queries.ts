import type { WorkspaceScope } from '@pulse/db';
import { type RawBuilder, sql } from 'kysely';
import { readWithoutJit } from '../analytics/commerce/commerce.queries.js';
import { epochBucket } from '../metrics/metrics.queries.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** One event's revenue as `commerce_rollups` sums it. */
const ROLLUP_REVENUE = sql`price * coalesce(quantity, 1)`;

export interface PurchaseFilter {
  purchaseType: string;
  /** One event's revenue, as commerce analytics computes it. */
  revenue: RawBuilder<unknown>;
  from: Date;
  to: Date;
}

export type SegmentDimension = 'product' | 'currency' | 'property';

const COLUMNS: Record<SegmentDimension, string> = {
  product: 'product_id',
  currency: 'currency',
  property: 'prop',
};

export interface SegmentRow {
  dimension: SegmentDimension;
  key: string | null;
  revenue: number;
  orders: number;
}

/**
 * The top `limit` values of each dimension by revenue, in ONE pass over `purchases` (rows of
 * product_id, currency, prop, revenue, count): grouping sets aggregate each dimension, a
 * window ranks within each.
 */
async function rankSegments(
  scope: WorkspaceScope,
  purchases: RawBuilder<unknown>,
  dimensions: readonly SegmentDimension[],
  limit: number,
): Promise<SegmentRow[]> {
  const columns = dimensions.map((d) => sql.ref(COLUMNS[d]));
  // In a grouping set the other columns read as null, so the coalesce picks the grouped one;
  // `grouping()` may only name grouped columns, so the dimension is told from those.
  const key = sql`coalesce(${sql.join(columns)})`;
  const dimension = sql`case ${sql.join(
    dimensions.map((d) => sql`when grouping(${sql.ref(COLUMNS[d])}) = 0 then ${sql.lit(d)}`),
    sql` `,
  )} end`;
  const { rows } = await readWithoutJit(
    scope,
    sql<{ dimension: SegmentDimension; key: string | null; revenue: string; orders: string }>`
      select dimension, key, revenue, orders from (
        select ${dimension} as dimension, ${key} as key,
               coalesce(sum(revenue), 0) as revenue, sum(count) as orders,
               row_number() over (
                 partition by ${dimension}
                 order by coalesce(sum(revenue), 0) desc, sum(count) desc, ${key} nulls last
               ) as rank
        from (${purchases}) purchases
        group by grouping sets (${sql.join(columns.map((column) => sql`(${column})`))})
      ) ranked
      where rank <= ${limit}
      order by dimension, rank`,
  );
  return rows.map((row) => ({
    dimension: row.dimension,
    key: row.key,
    revenue: Number(row.revenue),
    orders: Number(row.orders),
  }));
}

/** Every purchase event of [from, to), one row each. */
function rawPurchases(scope: WorkspaceScope, filter: PurchaseFilter, property: string | undefined) {
  return sql`
    select product_id, currency, properties ->> ${property ?? ''}::text as prop,
           ${filter.revenue} as revenue, 1 as count
    from events
    where workspace_id = ${scope.workspaceId}::uuid and type = ${filter.purchaseType}
      and timestamp >= ${filter.from} and timestamp < ${filter.to}`;
}

/** The top products, currencies and (when asked) property values, all from raw events. */
export function topSegmentsFromEvents(
  scope: WorkspaceScope,
  filter: PurchaseFilter,
  property: string | undefined,
  limit: number,
): Promise<SegmentRow[]> {
  const dimensions: SegmentDimension[] = ['product', 'currency'];
  if (property) dimensions.push('property');
  return rankSegments(scope, rawPurchases(scope, filter, property), dimensions, limit);
}

/** The top values of one property of the purchases: property values are not rolled up. */
export function topPropertyValues(
  scope: WorkspaceScope,
  filter: PurchaseFilter,
  property: string,
  limit: number,
): Promise<SegmentRow[]> {
  return rankSegments(scope, rawPurchases(scope, filter, property), ['property'], limit);
}

/**
 * The top products and currencies from `commerce_rollups`, equal to the raw ranking when the
 * revenue is the rollups' own price × quantity: UTC days without a dirty mark come from day
 * rows, other whole hours without one from hour rows; the partial hours at the edges and
 * every hour still marked dirty (late events not rolled up yet) are read from raw events in
 * the same statement, so the answer is exact at one snapshot.
 */
export function topSegmentsFromRollups(
  scope: WorkspaceScope,
  filter: Omit<PurchaseFilter, 'revenue'>,
  limit: number,
): Promise<SegmentRow[]> {
  const { from, to, purchaseType } = filter;
  const hourFrom = new Date(Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS);
  const hourTo = new Date(Math.floor(to.getTime() / HOUR_MS) * HOUR_MS);
  const dayFrom = new Date(Math.ceil(from.getTime() / DAY_MS) * DAY_MS);
  const dayTo = new Date(Math.floor(to.getTime() / DAY_MS) * DAY_MS);
  if (hourFrom >= hourTo) {
    // No whole hour inside: the rollups have nothing to add.
    return topSegmentsFromEvents(scope, { ...filter, revenue: ROLLUP_REVENUE }, undefined, limit);
  }
  const workspaceId = sql`${scope.workspaceId}::uuid`;
  const rawRange = (start: Date | RawBuilder<unknown>, end: Date | RawBuilder<unknown>) => sql`
    select product_id, currency, coalesce(sum(${ROLLUP_REVENUE}), 0) as revenue,
           count(*) as count
    from events
    where workspace_id = ${workspaceId} and type = ${purchaseType}
      and timestamp >= ${start} and timestamp < ${end}
    group by product_id, currency`;
  const purchases = sql`
    with stale as (
      select distinct ${epochBucket(sql`d.bucket`, 3_600)} as hour
      from rollup_dirty d
      where d.workspace_id = ${workspaceId} and d.source = 'events'
        and d.bucket >= ${hourFrom} and d.bucket < ${hourTo}
    ),
    stale_days as (
      select distinct ${epochBucket(sql`hour`, 86_400)} as day from stale
    )
    select r.product_id, r.currency, null::text as prop, r.revenue, r.count
    from commerce_rollups r
    where r.workspace_id = ${workspaceId} and r.resolution = '1d' and r.type = ${purchaseType}
      and r.bucket >= ${dayFrom} and r.bucket < ${dayTo}
      and r.bucket not in (select day from stale_days)
    union all
    select r.product_id, r.currency, null, r.revenue, r.count
    from commerce_rollups r
    where r.workspace_id = ${workspaceId} and r.resolution = '1h' and r.type = ${purchaseType}
      and r.bucket >= ${hourFrom} and r.bucket < ${hourTo}
      and r.bucket not in (select hour from stale)
      and (r.bucket < ${dayFrom} or r.bucket >= ${dayTo}
           or ${epochBucket(sql`r.bucket`, 86_400)} in (select day from stale_days))
    union all
    select e.product_id, e.currency, null, e.revenue, e.count
    from stale s
    -- One index probe per stale hour; OFFSET 0 keeps the planner from flattening it into a
    -- join over the whole range.
    cross join lateral (${rawRange(sql`s.hour`, sql`s.hour + interval '1 hour'`)} offset 0) e
    union all
    select product_id, currency, null, revenue, count from (${rawRange(from, hourFrom)}) head
    union all
    select product_id, currency, null, revenue, count from (${rawRange(hourTo, to)}) tail`;
  return rankSegments(scope, purchases, ['product', 'currency'], limit);
}
