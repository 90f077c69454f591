import { type Kysely, sql } from 'kysely';

// Frozen once landed: typed against Kysely<any> so later schema changes never break it.
// biome-ignore lint/suspicious/noExplicitAny: see above.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per workspace that changed its commerce settings; a workspace without a row uses
  // the defaults below, so reads never need a row to exist.
  await db.schema
    .createTable('analytics_settings')
    .addColumn('workspace_id', 'uuid', (c) =>
      c.primaryKey().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('page_view_type', 'text', (c) => c.notNull().defaultTo('page_view'))
    .addColumn('add_to_cart_type', 'text', (c) => c.notNull().defaultTo('add_to_cart'))
    .addColumn('purchase_type', 'text', (c) => c.notNull().defaultTo('purchase'))
    // `price` / `quantity` (the event columns) or `properties.<key>[.<key>…]`.
    .addColumn('price_field', 'text', (c) => c.notNull().defaultTo('price'))
    .addColumn('quantity_field', 'text', (c) => c.notNull().defaultTo('quantity'))
    .addColumn('updated_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Distinct people per closed window and event type ('' = any type), which no rollup can
  // add up to. Kept per window and recomputed only when the window's rollup rows changed
  // after `computed_at` or it still has dirty marks, so a long series reads raw events only
  // for the windows that changed.
  await db.schema
    .createTable('analytics_window_people')
    .addColumn('workspace_id', 'uuid', (c) =>
      c.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('window_seconds', 'integer', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('bucket', 'timestamptz', (c) => c.notNull())
    .addColumn('people', 'bigint', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('analytics_window_people_pkey', [
      'workspace_id',
      'window_seconds',
      'key',
      'bucket',
    ])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: frozen migration, see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('analytics_window_people').ifExists().execute();
  await db.schema.dropTable('analytics_settings').ifExists().execute();
}
