import type { ColumnType } from 'kysely';

/** Per-workspace commerce settings; absent row = defaults (see migration 0003). */
export interface AnalyticsSettingsTable {
  workspace_id: string;
  page_view_type: string;
  add_to_cart_type: string;
  purchase_type: string;
  /** `price`, `quantity` (event columns) or `properties.<key>[.<key>…]`. */
  price_field: string;
  quantity_field: string;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Distinct people per closed window and event type ('' = any type); see migration 0003. */
export interface AnalyticsWindowPeopleTable {
  workspace_id: string;
  window_seconds: number;
  key: string;
  bucket: ColumnType<Date, Date | string, Date | string>;
  people: ColumnType<string, number | string, number | string>;
  computed_at: ColumnType<Date, Date | string, Date | string>;
}

export interface AnalyticsTables {
  analytics_settings: AnalyticsSettingsTable;
  analytics_window_people: AnalyticsWindowPeopleTable;
}
