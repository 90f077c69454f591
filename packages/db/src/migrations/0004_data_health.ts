import { type Kysely, sql } from 'kysely';

// Frozen once landed: typed against Kysely<any> so later schema changes never break it.
// biome-ignore lint/suspicious/noExplicitAny: see above.
export async function up(db: Kysely<any>): Promise<void> {
  // Per-type property schemas, append-only: each registration is a new version, so a
  // data-quality report can say which version events were checked against, and nothing is
  // lost when a schema is tightened by mistake.
  await sql`
    create table event_schemas (
      workspace_id uuid not null references workspaces(id) on delete cascade,
      type text not null,
      version integer not null check (version > 0),
      schema jsonb not null,
      description text,
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      primary key (workspace_id, type, version)
    )`.execute(db);
  // Latency reports select events by arrival. Arrival order is physical order, so BRIN
  // narrows a "last hour of arrivals" scan to the newest block ranges for almost no cost
  // on inserts, where a btree would add a random write to every event.
  await sql`create index events_received_brin on events using brin (received_at)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: frozen migration, see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists events_received_brin`.execute(db);
  await db.schema.dropTable('event_schemas').ifExists().execute();
}
