import { type Kysely, sql } from 'kysely';

/**
 * `event_ids` loses its foreign key to `workspaces`: PostgreSQL checked it row by row on every
 * ingested event (~6 µs each, about half of what idempotency added to a batch insert), and
 * concurrent batches of one workspace queued on the key-share lock of its row. Integrity does
 * not depend on it: ids are claimed in the same statement that inserts the events, whose own
 * foreign key still fails the whole statement for an unknown workspace and holds off a
 * concurrent deletion until it commits. What the key also did, cascading a workspace's
 * deletion, is now a statement-level trigger.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen against the schema of their day.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table event_ids drop constraint event_ids_workspace_id_fkey`.execute(db);
  // The function keeps the schema it was created in, whatever the search path of the session
  // that fires it.
  await sql`
    create function forget_deleted_workspace_event_ids() returns trigger language plpgsql
    set search_path from current as $$
    begin
      delete from event_ids e using deleted_workspaces w where e.workspace_id = w.id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger workspaces_forget_event_ids after delete on workspaces
    referencing old table as deleted_workspaces
    for each statement execute function forget_deleted_workspace_event_ids()`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up.
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger workspaces_forget_event_ids on workspaces`.execute(db);
  await sql`drop function forget_deleted_workspace_event_ids()`.execute(db);
  await sql`delete from event_ids e where not exists (
    select 1 from workspaces w where w.id = e.workspace_id)`.execute(db);
  await sql`alter table event_ids add constraint event_ids_workspace_id_fkey
    foreign key (workspace_id) references workspaces (id) on delete cascade`.execute(db);
}
