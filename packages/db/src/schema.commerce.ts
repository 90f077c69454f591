import type { ColumnType } from 'kysely';

/** Hour or UTC-day buckets of `commerce_rollups` (see migration 0007). */
export type CommerceRollupResolution = '1h' | '1d';

/**
 * Events and revenue (Σ price × coalesce(quantity, 1) of the event columns) per bucket, event
 * type, product and currency; kept up to date by the events rollup job.
 */
export interface CommerceRollupsTable {
  workspace_id: string;
  resolution: CommerceRollupResolution;
  bucket: ColumnType<Date, Date | string, Date | string>;
  type: string;
  product_id: string | null;
  currency: string | null;
  count: ColumnType<string, number | string, number | string>;
  revenue: ColumnType<string, number | string, number | string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A workspace's last 24 closed hours of activity, kept between reads (see migration 0007). */
export interface RecentActivityWindowsTable {
  workspace_id: string;
  window_start: ColumnType<Date, Date | string, Date | string>;
  window_end: ColumnType<Date, Date | string, Date | string>;
  events: ColumnType<string, number | string, number | string>;
  people: ColumnType<string, number | string, number | string>;
  sessions: ColumnType<string, number | string, number | string>;
  computed_at: ColumnType<Date, Date | string, Date | string>;
}

export interface CommerceTables {
  commerce_rollups: CommerceRollupsTable;
  recent_activity_windows: RecentActivityWindowsTable;
}
