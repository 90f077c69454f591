import type { ColumnType } from 'kysely';

/** bigint columns arrive as decimal strings on both drivers; inserts take numbers too. */
type Int8 = ColumnType<string, number | string, number | string>;

/**
 * Versions of the rollup tables, written only by the `history_capture` trigger (migration
 * 0005): application code reads these and never inserts into them.
 */
export interface HistoryHeadsTable {
  workspace_id: string;
  table_name: string;
  version: Int8;
  txid: string;
}

export interface HistoryVersionsTable {
  workspace_id: string;
  table_name: string;
  version: Int8;
  recorded_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** The kinds of statements in the change, e.g. `insert`, `insert+update`, `snapshot`. */
  operation: string;
  rows_inserted: number;
  rows_updated: number;
  rows_deleted: number;
}

export interface HistoryRowsTable {
  workspace_id: string;
  table_name: string;
  row_key: ColumnType<unknown, string, string>;
  row_data: ColumnType<unknown, string, string>;
  valid_from: Int8;
  /** HISTORY_OPEN_VERSION while the image is current. */
  valid_to: Int8;
}

/** `valid_to` of an image that is still current (the largest bigint). */
export const HISTORY_OPEN_VERSION = '9223372036854775807';

export interface HistoryTables {
  history_heads: HistoryHeadsTable;
  history_versions: HistoryVersionsTable;
  history_rows: HistoryRowsTable;
}
