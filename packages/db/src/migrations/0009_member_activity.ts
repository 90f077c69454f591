import { type Kysely, type RawBuilder, sql } from 'kysely';
import {
  createMemberConnectionCounts,
  dropMemberConnectionCounts,
} from './0009_member_activity.connections.js';

/**
 * `member_activity`: per member and UTC day, the attendance rows (going RSVPs plus check-ins
 * into a gathering, each row once, as `attendanceRows` yields them) of the gatherings that
 * STARTED that day. The network ranks members by a month of activity: summing ~200,000 of
 * these rows is cheaper than reading ~490,000 RSVPs and check-ins.
 *
 * Kept exact by statement-level triggers, like `gathering_attendance`, so cascades and bulk
 * loads are covered, but by deltas rather than recounts: recounting a (member, day) means
 * reading the member's whole history (no index finds a member's rows by gathering day), which
 * would make a bulk load quadratic. A delta is read from the statement's own transition table.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen once landed, like every migration.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table member_activity (
      workspace_id uuid not null,
      member_id uuid not null,
      day date not null,
      -- No check (attendance > 0): a negative delta is an insert's proposed row, checked before
      -- it turns into an update. Rows at zero are deleted by the trigger.
      attendance integer not null,
      primary key (workspace_id, day, member_id),
      foreign key (workspace_id, member_id) references members (workspace_id, id) on delete cascade
    )`.execute(db);
  // Reads are by day range (all members) and, for a member's cascade, by member.
  await sql`create index member_activity_member_idx on member_activity (workspace_id, member_id)`.execute(
    db,
  );

  await sql`
    insert into member_activity (workspace_id, member_id, day, attendance)
    select a.workspace_id, a.member_id, (g.starts_at at time zone 'UTC')::date, count(*)
    from (
      select workspace_id, member_id, gathering_id from rsvps where status = 'going'
      union all
      select workspace_id, member_id, gathering_id from check_ins where gathering_id is not null
    ) a
    join gatherings g on g.workspace_id = a.workspace_id and g.id = a.gathering_id
    group by 1, 2, 3`.execute(db);

  const going = sql`status = 'going'`;
  const inGathering = sql`gathering_id is not null`;
  for (const [table, counts] of [
    ['rsvps', going],
    ['check_ins', inGathering],
  ] as const) {
    for (const [event, changes] of [
      [
        'insert',
        sql`select workspace_id, member_id, gathering_id, 1 as delta from new_rows where ${counts}`,
      ],
      [
        'delete',
        sql`select workspace_id, member_id, gathering_id, -1 as delta from old_rows where ${counts}`,
      ],
      [
        'update',
        sql`select workspace_id, member_id, gathering_id, -1 as delta from old_rows where ${counts}
          union all
          select workspace_id, member_id, gathering_id, 1 as delta from new_rows where ${counts}`,
      ],
    ] as const) {
      const name = `${table}_member_activity_${event}`;
      await sql`
        create function ${sql.id(name)}() returns trigger language plpgsql
        set search_path from current as $$
        begin ${applyDeltas(changes, { canReachZero: event !== 'insert' })} return null; end $$`.execute(
        db,
      );
      const transitions =
        event === 'insert'
          ? sql`new table as new_rows`
          : event === 'delete'
            ? sql`old table as old_rows`
            : sql`old table as old_rows new table as new_rows`;
      await sql`
        create trigger ${sql.id(name)} after ${sql.raw(event)} on ${sql.table(table)}
        referencing ${transitions}
        for each statement execute function ${sql.id(name)}()`.execute(db);
    }
  }

  await sql`
    create function gatherings_member_activity_moved() returns trigger language plpgsql
    set search_path from current as $$
    begin ${applyDeltas(
      sql`
      select o.workspace_id, a.member_id, o.id as gathering_id, -1 as delta, o.starts_at
      from old_rows o join new_rows n on n.id = o.id
      cross join lateral ${attendanceOf(sql`o`)} a
      where ${dayOf(sql`o.starts_at`)} <> ${dayOf(sql`n.starts_at`)} or o.workspace_id <> n.workspace_id
      union all
      select n.workspace_id, a.member_id, n.id, 1, n.starts_at
      from old_rows o join new_rows n on n.id = o.id
      cross join lateral ${attendanceOf(sql`n`)} a
      where ${dayOf(sql`o.starts_at`)} <> ${dayOf(sql`n.starts_at`)} or o.workspace_id <> n.workspace_id`,
      { canReachZero: true, startsAtGiven: true },
    )}
    return null; end $$`.execute(db);
  await sql`
    create trigger gatherings_member_activity_moved after update on gatherings
    referencing old table as old_rows new table as new_rows
    for each statement execute function gatherings_member_activity_moved()`.execute(db);

  // A deleted gathering's RSVPs and check-ins go by cascade after the gathering row is gone,
  // when their triggers can no longer tell its day: its attendance is taken off before.
  await sql`
    create function gatherings_member_activity_deleted() returns trigger language plpgsql
    set search_path from current as $$
    begin ${applyDeltas(
      sql`
      select old.workspace_id, a.member_id, old.id as gathering_id, -1 as delta, old.starts_at
      from ${attendanceOf(sql`old`)} a`,
      { canReachZero: true, startsAtGiven: true },
    )}
    return old; end $$`.execute(db);
  await sql`
    create trigger gatherings_member_activity_deleted before delete on gatherings
    for each row execute function gatherings_member_activity_deleted()`.execute(db);

  await createMemberConnectionCounts(db);
}

const dayOf = (startsAt: RawBuilder<unknown>) => sql`(${startsAt} at time zone 'UTC')::date`;

/** The attendance rows (member_id) of the gathering row `g`, as the table counts them. */
function attendanceOf(g: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(
    select member_id from rsvps
    where workspace_id = ${g}.workspace_id and gathering_id = ${g}.id and status = 'going'
    union all
    select member_id from check_ins
    where workspace_id = ${g}.workspace_id and gathering_id = ${g}.id
  )`;
}

/**
 * PL/pgSQL statements adding `changes` (rows workspace_id, member_id, gathering_id, delta and,
 * with `startsAtGiven`, the gathering's starts_at) to the table.
 *
 * The gatherings are locked first (FOR NO KEY UPDATE, as `gathering_attendance` does, in id
 * order) and their day read by a later statement with its own snapshot: an RSVP and a move of
 * its gathering in two concurrent transactions thus apply one after the other, and the second
 * sees the first's rows. Rows of gatherings or members deleted in the same statement (a
 * cascade) are skipped: the gathering's own trigger took them off, the member's rows go with it.
 * Rows are written in key order so concurrent statements lock them in the same order; a row
 * left at zero is deleted, so the table holds what a recount would.
 */
function applyDeltas(
  changes: RawBuilder<unknown>,
  options: { canReachZero: boolean; startsAtGiven?: boolean },
): RawBuilder<unknown> {
  const readsGathering = !options.startsAtGiven;
  // Lookups by key as scalar subqueries, one per changed row: inside a bulk load's transaction
  // the tables have no statistics yet, and a join let the planner walk a workspace's gatherings
  // once per row (quadratic in the load).
  const startsAt = readsGathering
    ? sql`(select g.starts_at from gatherings g
        where g.workspace_id = c.workspace_id and g.id = c.gathering_id)`
    : sql`c.starts_at`;
  const keyed = sql`
    select workspace_id, member_id, day, sum(delta)::int as delta from (
      select c.workspace_id, c.member_id, c.delta, ${dayOf(startsAt)} as day
      from (${changes}) c
      where (select true from members m where m.workspace_id = c.workspace_id and m.id = c.member_id)
    ) c
    where day is not null
    group by 1, 2, 3 having sum(delta) <> 0`;
  const lock = readsGathering
    ? sql`
      perform 1
      from (select distinct workspace_id, gathering_id from (${changes}) c order by gathering_id) c
      cross join lateral (select 1 from gatherings g
        where g.workspace_id = c.workspace_id and g.id = c.gathering_id
        for no key update) locked;`
    : sql``;
  return sql`
    ${lock}
    insert into member_activity (workspace_id, member_id, day, attendance)
    select workspace_id, member_id, day, delta from (${keyed}) k
    order by workspace_id, day, member_id
    on conflict (workspace_id, day, member_id)
    do update set attendance = member_activity.attendance + excluded.attendance;
    ${
      options.canReachZero
        ? sql`delete from member_activity a
          using (${keyed}) k
          where a.workspace_id = k.workspace_id and a.day = k.day and a.member_id = k.member_id
            and a.attendance = 0 and k.delta < 0;`
        : sql``
    }`;
}

// biome-ignore lint/suspicious/noExplicitAny: as up().
export async function down(db: Kysely<any>): Promise<void> {
  await dropMemberConnectionCounts(db);
  await sql`drop table if exists member_activity`.execute(db);
  for (const table of ['rsvps', 'check_ins']) {
    for (const event of ['insert', 'delete', 'update']) {
      const name = `${table}_member_activity_${event}`;
      await sql`drop trigger if exists ${sql.id(name)} on ${sql.table(table)}`.execute(db);
      await sql`drop function if exists ${sql.id(name)}()`.execute(db);
    }
  }
  for (const name of ['gatherings_member_activity_moved', 'gatherings_member_activity_deleted']) {
    await sql`drop trigger if exists ${sql.id(name)} on gatherings`.execute(db);
    await sql`drop function if exists ${sql.id(name)}()`.execute(db);
  }
}
