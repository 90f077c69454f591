import type { RelationDescription } from '../../language-model/language-model.js';

/**
 * The relations analysts' SQL can read: views over the workspace-owned tables, created per
 * query with the caller's workspace id baked in (see sql.queries.ts), so a statement sees
 * its own workspace's rows and no `workspace_id` column at all. The descriptions double as
 * the API documentation and as what a language model is told about the data.
 */
export interface AnalystView extends RelationDescription {
  /** The table the view reads; its columns are `columns` by name. */
  source: string;
}

export const ANALYST_VIEWS: readonly AnalystView[] = [
  {
    name: 'events',
    source: 'events',
    description: 'Raw events, one row per accepted event (kept for RETENTION_DAYS).',
    columns: [
      { name: 'id', type: 'text', description: 'client-chosen id, unique per workspace' },
      { name: 'type', type: 'text', description: 'e.g. page_view, add_to_cart, purchase' },
      { name: 'timestamp', type: 'timestamptz', description: 'when it happened' },
      { name: 'received_at', type: 'timestamptz', description: 'when Pulse stored it' },
      { name: 'user_id', type: 'text' },
      { name: 'anonymous_id', type: 'text' },
      { name: 'session_id', type: 'text' },
      { name: 'properties', type: 'jsonb', description: 'free-form; read with ->> ' },
      { name: 'product_id', type: 'text' },
      { name: 'price', type: 'numeric', description: 'unit price; revenue = price × quantity' },
      { name: 'quantity', type: 'integer' },
      { name: 'currency', type: 'text' },
    ],
  },
  {
    name: 'metric_points',
    source: 'metric_points',
    description: 'Raw metric points (kept for RETENTION_DAYS).',
    columns: [
      { name: 'id', type: 'bigint' },
      { name: 'name', type: 'text' },
      { name: 'value', type: 'double precision' },
      { name: 'tags', type: 'jsonb', description: 'flat object of strings' },
      { name: 'timestamp', type: 'timestamptz' },
      { name: 'received_at', type: 'timestamptz' },
    ],
  },
  {
    name: 'event_rollups',
    source: 'event_rollups',
    description:
      "Events per minute ('1m') and hour ('1h') bucket and type; kept for ROLLUP_RETENTION_DAYS.",
    columns: [
      { name: 'resolution', type: 'text', description: "'1m' or '1h'" },
      { name: 'bucket', type: 'timestamptz', description: 'start of the minute or hour' },
      { name: 'type', type: 'text' },
      { name: 'count', type: 'bigint' },
      { name: 'users', type: 'bigint', description: 'distinct user_id (else anonymous_id)' },
      { name: 'revenue', type: 'numeric', description: 'sum of price × quantity' },
      { name: 'updated_at', type: 'timestamptz' },
    ],
  },
  {
    name: 'metric_rollups',
    source: 'metric_rollups',
    description: 'Metric points per minute and hour bucket, name and tag set.',
    columns: [
      { name: 'resolution', type: 'text', description: "'1m' or '1h'" },
      { name: 'bucket', type: 'timestamptz' },
      { name: 'name', type: 'text' },
      { name: 'tags', type: 'jsonb' },
      { name: 'count', type: 'bigint' },
      { name: 'sum', type: 'double precision' },
      { name: 'min', type: 'double precision' },
      { name: 'max', type: 'double precision' },
      { name: 'updated_at', type: 'timestamptz' },
    ],
  },
  {
    name: 'ingest_stats',
    source: 'ingest_stats',
    description: 'One row per ingested batch: how many items were accepted, duplicates, rejected.',
    columns: [
      { name: 'source', type: 'text', description: "'events' or 'metrics'" },
      { name: 'recorded_at', type: 'timestamptz' },
      { name: 'accepted', type: 'integer' },
      { name: 'duplicates', type: 'integer' },
      { name: 'rejected', type: 'integer' },
    ],
  },
];

export const ANALYST_VIEW_NAMES: ReadonlySet<string> = new Set(ANALYST_VIEWS.map((v) => v.name));

/** The views in Markdown, for the OpenAPI description of analytics.query. */
export function describeViewsMarkdown(): string {
  return ANALYST_VIEWS.map(
    (view) =>
      `- \`${view.name}\`(${view.columns.map((c) => `${c.name} ${c.type}`).join(', ')}): ${view.description}`,
  ).join('\n');
}
