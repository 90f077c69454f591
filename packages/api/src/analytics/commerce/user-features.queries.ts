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

export interface PurchaserDistributionRow {
  purchasers: number;
  recency: (number | null)[];
  frequency: (number | null)[];
  monetary: (number | null)[];
  recency_rank: number;
  frequency_rank: number;
  monetary_rank: number;
}

export const DISTRIBUTION_QUANTILES = [0.25, 0.5, 0.75, 0.9] as const;

const quantilesOf = (column: string) =>
  sql.join(
    DISTRIBUTION_QUANTILES.map(
      (q) => sql`percentile_cont(${q}::float8) within group (order by ${sql.ref(column)})`,
    ),
  );

/**
 * Recency (days from the last purchase to `asOf`), frequency and monetary over every user
 * with a purchase, read through the (workspace_id, type, timestamp) index; and how many of
 * them have a value ≤ the given user's (computed in the same statement, so the user's own
 * values compare exactly).
 */
export async function purchaserDistribution(
  scope: WorkspaceScope,
  userId: string,
  purchaseType: string,
  revenue: RawBuilder<unknown>,
  asOf: Date,
): Promise<PurchaserDistributionRow> {
  const { rows } = await readWithoutJit(
    scope,
    sql<PurchaserDistributionRow>`
    with buyers as (
      select user_id, count(*)::float8 as frequency,
             coalesce(sum(${revenue}), 0)::float8 as monetary,
             greatest(0, extract(epoch from (${asOf}::timestamptz - max(timestamp))) / 86400)::float8
               as recency
      from events
      where workspace_id = ${scope.workspaceId} and type = ${purchaseType}
        and user_id is not null
      group by user_id
    ),
    me as (select * from buyers where user_id = ${userId})
    select count(*)::float8 as purchasers,
           array[${quantilesOf('recency')}]::float8[] as recency,
           array[${quantilesOf('frequency')}]::float8[] as frequency,
           array[${quantilesOf('monetary')}]::float8[] as monetary,
           count(*) filter (where recency <= (select recency from me))::float8 as recency_rank,
           count(*) filter (where frequency <= coalesce((select frequency from me), 0))::float8
             as frequency_rank,
           count(*) filter (where monetary <= coalesce((select monetary from me), 0))::float8
             as monetary_rank
    from buyers`,
  );
  const row = rows[0] as PurchaserDistributionRow;
  const numbers = (values: unknown) =>
    (values as (number | string | null)[]).map((v) => (v === null ? null : Number(v)));
  return {
    purchasers: Number(row.purchasers),
    recency: numbers(row.recency),
    frequency: numbers(row.frequency),
    monetary: numbers(row.monetary),
    recency_rank: Number(row.recency_rank),
    frequency_rank: Number(row.frequency_rank),
    monetary_rank: Number(row.monetary_rank),
  };
}
