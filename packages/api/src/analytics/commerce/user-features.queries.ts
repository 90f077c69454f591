import type { WorkspaceScope } from '@pulse/db';
import { type RawBuilder, sql } from 'kysely';
import { readWithoutJit } from './commerce.queries.js';

export interface UserActivityRow {
  first_seen: Date | null;
  last_seen: Date | null;
  events: number;
  products: number;
  orders: number;
  monetary: number;
  last_purchase: Date | null;
  preferred_hour: number | null;
}

/** One user's events (by user id), read through the (workspace_id, user_id, timestamp) index. */
export async function userActivity(
  scope: WorkspaceScope,
  userId: string,
  purchaseType: string,
  revenue: RawBuilder<unknown>,
): Promise<UserActivityRow | undefined> {
  const { rows } = await scope.executeRaw(sql<UserActivityRow>`
    with mine as (
      select timestamp, type, product_id, ${revenue} as revenue
      from events
      where workspace_id = ${scope.workspaceId} and user_id = ${userId}
    ),
    busiest as (
      select extract(hour from timestamp at time zone 'UTC')::int as hour
      from mine group by 1 order by count(*) desc, 1 asc limit 1
    )
    select min(timestamp) as first_seen, max(timestamp) as last_seen,
           count(*)::float8 as events, count(distinct product_id)::float8 as products,
           count(*) filter (where type = ${purchaseType})::float8 as orders,
           coalesce(sum(revenue) filter (where type = ${purchaseType}), 0)::float8 as monetary,
           max(timestamp) filter (where type = ${purchaseType}) as last_purchase,
           (select hour from busiest) as preferred_hour
    from mine`);
  return rows[0];
}

export const DISTRIBUTION_QUANTILES = [0.25, 0.5, 0.75, 0.9] as const;

/**
 * Frequency, monetary and last purchase (epoch ms) of every user with a purchase, read
 * through the (workspace_id, type, timestamp) index, as a distribution sketch: all values
 * sorted when there are at most `EXACT_LIMIT` purchasers, else `SKETCH_POINTS` evenly spaced
 * percentile_disc points; plus percentile_cont at `DISTRIBUTION_QUANTILES` (for last purchase
 * at 1 − q, since recency runs the other way).
 */
export interface PurchaserSketchRow {
  purchasers: number;
  exact: boolean;
  frequency: number[];
  monetary: number[];
  lastPurchase: number[];
  frequencyQuantiles: number[];
  monetaryQuantiles: number[];
  lastPurchaseQuantiles: number[];
}

export const EXACT_LIMIT = 2000;
export const SKETCH_POINTS = 1001;
const SKETCH_GRID = Array.from({ length: SKETCH_POINTS }, (_, k) => k / (SKETCH_POINTS - 1));

export async function purchaserSketch(
  scope: WorkspaceScope,
  purchaseType: string,
  revenue: RawBuilder<unknown>,
): Promise<PurchaserSketchRow> {
  const grid = sql`${SKETCH_GRID}::float8[]`;
  const quantiles = sql`${[...DISTRIBUTION_QUANTILES]}::float8[]`;
  const reversed = sql`${DISTRIBUTION_QUANTILES.map((q) => 1 - q)}::float8[]`;
  const sketch = (column: string) => sql`
    case when (select n from counted) <= ${EXACT_LIMIT}
      then (select coalesce(array_agg(${sql.ref(column)} order by ${sql.ref(column)}), '{}') from buyers)
      else (select percentile_disc(${grid}) within group (order by ${sql.ref(column)}) from buyers)
    end`;
  const { rows } = await readWithoutJit(
    scope,
    sql<Record<keyof PurchaserSketchRow, unknown>>`
    with buyers as materialized (
      select count(*)::float8 as frequency,
             coalesce(sum(${revenue}), 0)::float8 as monetary,
             (extract(epoch from max(timestamp)) * 1000)::float8 as last_purchase
      from events
      where workspace_id = ${scope.workspaceId} and type = ${purchaseType}
        and user_id is not null
      group by user_id
    ),
    counted as (select count(*) as n from buyers)
    select (select n from counted)::float8 as purchasers,
           (select n from counted) <= ${EXACT_LIMIT} as exact,
           ${sketch('frequency')} as frequency,
           ${sketch('monetary')} as monetary,
           ${sketch('last_purchase')} as "lastPurchase",
           (select percentile_cont(${quantiles}) within group (order by frequency) from buyers)
             as "frequencyQuantiles",
           (select percentile_cont(${quantiles}) within group (order by monetary) from buyers)
             as "monetaryQuantiles",
           (select percentile_cont(${reversed}) within group (order by last_purchase) from buyers)
             as "lastPurchaseQuantiles"`,
  );
  const row = rows[0] as Record<keyof PurchaserSketchRow, unknown>;
  const numbers = (values: unknown) =>
    ((values as (number | string | null)[] | null) ?? []).map((v) => Number(v));
  return {
    purchasers: Number(row.purchasers),
    exact: row.exact === true,
    frequency: numbers(row.frequency),
    monetary: numbers(row.monetary),
    lastPurchase: numbers(row.lastPurchase),
    frequencyQuantiles: numbers(row.frequencyQuantiles),
    monetaryQuantiles: numbers(row.monetaryQuantiles),
    lastPurchaseQuantiles: numbers(row.lastPurchaseQuantiles),
  };
}
