import type { WorkspaceScope } from '@pulse/db';
import { type RawBuilder, sql } from 'kysely';

export interface PurchaseFilter {
  purchaseType: string;
  /** One event's revenue, as commerce analytics computes it. */
  revenue: RawBuilder<unknown>;
  from: Date;
  to: Date;
}

export type SegmentDimension = 'product' | 'currency' | 'property';

export interface SegmentRow {
  dimension: SegmentDimension;
  key: string | null;
  revenue: number;
  orders: number;
}

/**
 * The top `limit` products, currencies and (when asked) values of one property by revenue,
 * in ONE pass over the range's purchases: grouping sets aggregate each dimension, a window
 * ranks within each. In a grouping set the other columns read as null, so the coalesce picks
 * the grouped one (null when the events lack it).
 */
export async function topSegments(
  scope: WorkspaceScope,
  filter: PurchaseFilter,
  property: string | undefined,
  limit: number,
): Promise<SegmentRow[]> {
  // `prop` may only be named where it is grouped.
  const propertySet = property ? sql`, (prop)` : sql``;
  const key = property
    ? sql`coalesce(product_id, currency, prop)`
    : sql`coalesce(product_id, currency)`;
  const { rows } = await scope.executeRaw(sql<{
    dimension: SegmentDimension;
    key: string | null;
    revenue: string | null;
    orders: string;
  }>`
    select dimension, key, revenue, orders from (
      select case when grouping(product_id) = 0 then 'product'
                  when grouping(currency) = 0 then 'currency' else 'property' end as dimension,
             ${key} as key,
             coalesce(sum(revenue), 0) as revenue, count(*) as orders,
             row_number() over (
               partition by grouping(product_id), grouping(currency)
               order by coalesce(sum(revenue), 0) desc, count(*) desc,
                        ${key} nulls last
             ) as rank
      from (
        select product_id, currency, properties ->> ${property ?? ''}::text as prop,
               ${filter.revenue} as revenue
        from events
        where workspace_id = ${scope.workspaceId}::uuid and type = ${filter.purchaseType}
          and timestamp >= ${filter.from} and timestamp < ${filter.to}
      ) purchases
      group by grouping sets ((product_id), (currency)${propertySet})
    ) ranked
    where rank <= ${limit}
    order by dimension, rank`);
  return rows.map((row) => ({
    dimension: row.dimension,
    key: row.key,
    revenue: Number(row.revenue ?? 0),
    orders: Number(row.orders),
  }));
}
