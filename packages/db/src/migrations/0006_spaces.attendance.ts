import { type Kysely, sql } from 'kysely';

/**
 * `gathering_attendance`: the distinct attendees (going RSVPs ∪ check-ins) of each gathering,
 * kept exact by statement-level triggers on both tables, so building-wide reads (revenue per
 * room and hour) read one row per gathering instead of recounting ~470,000 attendance rows.
 * Triggers rather than application code because cascades (a member or gathering deleted)
 * change attendance too. Each trigger recounts the gatherings its statement touched.
 * Part of 0006 (frozen with it).
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migration, see 0006_spaces.
export async function createGatheringAttendance(db: Kysely<any>): Promise<void> {
  await sql`
    create table gathering_attendance (
      workspace_id uuid not null,
      gathering_id uuid not null,
      attendees integer not null,
      primary key (workspace_id, gathering_id),
      foreign key (workspace_id, gathering_id) references gatherings (workspace_id, id) on delete cascade
    )`.execute(db);

  // The gathering rows are locked (FOR NO KEY UPDATE, which does not conflict with the key
  // share that foreign-key checks take) before counting, and the count is a later statement
  // with its own snapshot: two concurrent writers to one gathering thus count one after the
  // other, and the second sees the first's rows. A gathering deleted in the same statement
  // (cascade) is skipped. The function keeps the schema it was created in, whatever the
  // search path of the session that fires it.
  await sql`
    create function recount_gathering_attendance() returns trigger language plpgsql
    set search_path from current as $$
    begin
      perform 1 from gatherings g
      where (g.workspace_id, g.id) in (select workspace_id, gathering_id from changed)
      order by g.id
      for no key update;
      insert into gathering_attendance (workspace_id, gathering_id, attendees)
      select g.workspace_id, g.id, (select count(*) from (
          select r.member_id from rsvps r
          where r.workspace_id = g.workspace_id and r.gathering_id = g.id and r.status = 'going'
          union
          select c.member_id from check_ins c
          where c.workspace_id = g.workspace_id and c.gathering_id = g.id
        ) attendees)
      from gatherings g
      where (g.workspace_id, g.id) in (select workspace_id, gathering_id from changed)
      on conflict (workspace_id, gathering_id) do update set attendees = excluded.attendees;
      return null;
    end $$`.execute(db);

  for (const table of ['rsvps', 'check_ins']) {
    // One transition table per trigger, always named `changed`; an update recounts both the
    // gatherings rows left and the ones they joined.
    for (const [name, event, transition] of [
      ['inserted', 'insert', 'new'],
      ['deleted', 'delete', 'old'],
      ['updated_from', 'update', 'old'],
      ['updated_to', 'update', 'new'],
    ] as const) {
      await sql`
        create trigger ${sql.id(`${table}_attendance_${name}`)}
        after ${sql.raw(event)} on ${sql.table(table)}
        referencing ${sql.raw(transition)} table as changed
        for each statement execute function recount_gathering_attendance()`.execute(db);
    }
  }
}
