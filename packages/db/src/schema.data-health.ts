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

export interface DataHealthTables {
  event_schemas: EventSchemasTable;
}
