import { type Kysely, type RawBuilder, sql } from 'kysely';

/**
 * `member_activity_weeks`: attendance rows (going RSVPs plus check-ins into a gathering, as
 * `member_activity` counts them) per member and ISO week (its Monday, UTC) of the gatherings'
 * start. The network ranks ~10,000 members by a month of activity: three or four weeks here and
 * the few days at the window's edges from `member_activity` are ~70,000 rows to sum, not
 * ~200,000.
 *
 * Kept by the same statements that keep `member_gatherings` (whose `attendance` it sums), from
 * their deltas, in one upsert in key order per statement: concurrent statements lock its rows in
 * the same order, and deltas commute. The rows `member_gatherings` loses by cascade (a gathering
 * or member deleted) are taken off by a statement-level trigger on its deletes. A week at zero is
 * deleted, as the days are.
 * Part of 0011 (frozen with it).
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen once landed, like every migration.
export async function createMemberActivityWeeks(db: Kysely<any>): Promise<void> {
  await sql`
    create table member_activity_weeks (
      workspace_id uuid not null,
      member_id uuid not null,
      week date not null,
      -- No check (attendance > 0): a negative delta is an insert's proposed row.
      attendance integer not null,
      -- Covering: the ranking reads a range of weeks from the index alone (the heap of a table
      -- updated this often is mostly dead versions until vacuumed, and never shrinks).
      primary key (workspace_id, week, member_id) include (attendance)
    )`.execute(db);
  await sql`
    insert into member_activity_weeks (workspace_id, member_id, week, attendance)
    select workspace_id, member_id, ${weekOf(sql`day`)}, sum(attendance)
    from member_activity group by 1, 2, 3`.execute(db);

  await sql`
    create function member_gatherings_deleted() returns trigger language plpgsql
    set search_path from current as $$
    begin ${applyWeekDeltas(
      sql`select workspace_id, member_id, starts_at, -attendance as delta from old_rows`,
    )} return null; end $$`.execute(db);
  await sql`
    create trigger member_gatherings_deleted after delete on member_gatherings
    referencing old table as old_rows
    for each statement execute function member_gatherings_deleted()`.execute(db);
}

/** The Monday (UTC) of the ISO week holding the date `day`. */
const weekOf = (day: RawBuilder<unknown>) => sql`(${day} - (extract(isodow from ${day})::int - 1))`;

/**
 * PL/pgSQL statements adding `changes` (rows workspace_id, member_id, starts_at of a gathering,
 * delta) to `member_activity_weeks`.
 */
export function applyWeekDeltas(changes: RawBuilder<unknown>): RawBuilder<unknown> {
  const keyed = sql`
    select workspace_id, member_id, week, sum(delta)::int as delta from (
      select workspace_id, member_id, delta,
        ${weekOf(sql`(starts_at at time zone 'UTC')::date`)} as week
      from (${changes}) c
    ) c
    group by 1, 2, 3 having sum(delta) <> 0`;
  return sql`
    insert into member_activity_weeks (workspace_id, member_id, week, attendance)
    select workspace_id, member_id, week, delta from (${keyed}) k
    order by workspace_id, week, member_id
    on conflict (workspace_id, week, member_id)
    do update set attendance = member_activity_weeks.attendance + excluded.attendance;
    delete from member_activity_weeks w
    using (${keyed}) k
    where w.workspace_id = k.workspace_id and w.week = k.week and w.member_id = k.member_id
      and w.attendance = 0 and k.delta < 0;`;
}

// biome-ignore lint/suspicious/noExplicitAny: as createMemberActivityWeeks().
export async function dropMemberActivityWeeks(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists member_gatherings_deleted on member_gatherings`.execute(db);
  await sql`drop function if exists member_gatherings_deleted()`.execute(db);
  await sql`drop table if exists member_activity_weeks`.execute(db);
}
