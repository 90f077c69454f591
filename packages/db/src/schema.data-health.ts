import type { ColumnType } from 'kysely';

/** One registered version of an event type's property schema (a JSON-Schema subset). */
export interface EventSchemasTable {
  workspace_id: string;
  type: string;
  version: number;
  schema: ColumnType<unknown, string, string>;
  description: string | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

type Count = ColumnType<string, number | string, number | string>;

/**
 * Data-quality counts per hour and event type, kept up to date by the events rollup job
 * (see migration 0012). `invalid_values`: a bad price or quantity or a future timestamp.
 */
export interface QualityRollupsTable {
  workspace_id: string;
  bucket: ColumnType<Date, Date | string, Date | string>;
  type: string;
  events: Count;
  missing_user_id: Count;
  missing_anonymous_id: Count;
  missing_identity: Count;
  missing_session: Count;
  missing_product_id: Count;
  missing_currency: Count;
  negative_price: Count;
  absurd_price: Count;
  negative_quantity: Count;
  absurd_quantity: Count;
  future: Count;
  invalid_values: Count;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Every distinct ingestion lag (seconds) of an hour with its number of events. */
export interface QualityLagRollupsTable {
  workspace_id: string;
  bucket: ColumnType<Date, Date | string, Date | string>;
  lag: number;
  events: Count;
}

/** The lags of an hour in bands (see migration 0012): events and the band's lag bounds. */
export interface QualityLagBandsTable {
  workspace_id: string;
  bucket: ColumnType<Date, Date | string, Date | string>;
  band: number;
  events: Count;
  min_lag: number;
  max_lag: number;
}

export interface DataHealthTables {
  event_schemas: EventSchemasTable;
  quality_rollups: QualityRollupsTable;
  quality_lag_rollups: QualityLagRollupsTable;
  quality_lag_bands: QualityLagBandsTable;
}
