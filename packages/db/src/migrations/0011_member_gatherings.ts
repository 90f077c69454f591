import { type Kysely, type RawBuilder, sql } from 'kysely';
import {
  applyWeekDeltas,
  createMemberActivityWeeks,
  dropMemberActivityWeeks,
} from './0011_member_gatherings.weeks.js';

/**
 * `member_gatherings`: each member's distinct gatherings (going RSVP ∪ check-in), with the
 * gathering's start and how many attendance rows (RSVP, check-ins) make it. The network reads
 * the ~400 most active members' gatherings of a month: one index range per member here,
 * instead of their attendance of all time (~52,000 rows) joined to the month's gatherings and
 * made distinct.
 *
 * Kept exact by statement-level triggers, by deltas from the statements' transition tables as
 * `member_activity` (0009) is, so a bulk load stays linear; a row whose count falls to zero is
 * deleted. A moved gathering's rows follow its start; a deleted gathering's or member's rows
 * go by cascade.
 *
 * The same statements keep `member_activity_weeks` (0011_member_gatherings.weeks.ts), which
 * the network ranks members by.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen once landed, like every migration.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table member_gatherings (
      workspace_id uuid not null,
      gathering_id uuid not null,
      member_id uuid not null,
      starts_at timestamptz not null,
      -- No check (attendance > 0): a negative delta is an insert's proposed row, checked before
      -- it turns into an update. Rows at zero are deleted by the triggers.
      attendance integer not null,
      primary key (workspace_id, gathering_id, member_id),
      foreign key (workspace_id, gathering_id) references gatherings (workspace_id, id) on delete cascade,
      foreign key (workspace_id, member_id) references members (workspace_id, id) on delete cascade
    )`.execute(db);
  // The network's read: a member's gatherings in a window, from the index alone.
  await sql`create index member_gatherings_member_idx on member_gatherings (workspace_id, member_id, starts_at) include (gathering_id)`.execute(
    db,
  );

  await sql`
    insert into member_gatherings (workspace_id, gathering_id, member_id, starts_at, attendance)
    select a.workspace_id, a.gathering_id, a.member_id, g.starts_at, count(*)
    from (
      select workspace_id, gathering_id, member_id from rsvps where status = 'going'
      union all
      select workspace_id, gathering_id, member_id from check_ins where gathering_id is not null
    ) a
    join gatherings g on g.workspace_id = a.workspace_id and g.id = a.gathering_id
    group by a.workspace_id, a.gathering_id, a.member_id, g.starts_at`.execute(db);
  await createMemberActivityWeeks(db);

  const going = sql`status = 'going'`;
  const inGathering = sql`gathering_id is not null`;
  for (const [table, counts] of [
    ['rsvps', going],
    ['check_ins', inGathering],
  ] as const) {
    for (const [event, changes] of [
      [
        'insert',
        sql`select workspace_id, gathering_id, member_id, 1 as delta from new_rows where ${counts}`,
      ],
      [
        'delete',
        sql`select workspace_id, gathering_id, member_id, -1 as delta from old_rows where ${counts}`,
      ],
      [
        'update',
        sql`select workspace_id, gathering_id, member_id, -1 as delta from old_rows where ${counts}
          union all
          select workspace_id, gathering_id, member_id, 1 as delta from new_rows where ${counts}`,
      ],
    ] as const) {
      const name = `${table}_member_gatherings_${event}`;
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

  const moved = sql`(
    select n.workspace_id, n.id, n.starts_at, o.starts_at as old_starts_at
    from old_rows o join new_rows n on n.id = o.id
    where n.starts_at <> o.starts_at
  )`;
  // The UPDATE has locked the moved gatherings, and writers of attendance lock a gathering
  // before reading its start (below): the two apply one after the other.
  await sql`
    create function gatherings_member_gatherings_moved() returns trigger language plpgsql
    set search_path from current as $$
    begin
      update member_gatherings m set starts_at = moved.starts_at
      from ${moved} moved
      where m.workspace_id = moved.workspace_id and m.gathering_id = moved.id;
      ${applyWeekDeltas(sql`
        select m.workspace_id, m.member_id, moved.starts_at, m.attendance as delta
        from ${moved} moved
        join member_gatherings m on m.workspace_id = moved.workspace_id and m.gathering_id = moved.id
        union all
        select m.workspace_id, m.member_id, moved.old_starts_at, -m.attendance
        from ${moved} moved
        join member_gatherings m on m.workspace_id = moved.workspace_id and m.gathering_id = moved.id`)}
      return null;
    end $$`.execute(db);
  await sql`
    create trigger gatherings_member_gatherings_moved after update on gatherings
    referencing old table as old_rows new table as new_rows
    for each statement execute function gatherings_member_gatherings_moved()`.execute(db);
}

/**
 * PL/pgSQL statements adding `changes` (rows workspace_id, gathering_id, member_id, delta) to
 * the table.
 *
 * Only pairs whose count changes are touched: a check-out, or a status change between two
 * uncounted statuses, costs no lock. Their gatherings are locked first (FOR NO KEY UPDATE, in id
 * order, as `gathering_attendance` and `member_activity` do) and the start read by a later
 * statement with its own snapshot: an RSVP and a move of its gathering in two concurrent
 * transactions thus apply one after the other, and the second sees the first's rows. Rows of
 * gatherings or members deleted in the same statement (a cascade) are skipped: their rows go
 * by the cascade. Every statement locks in one order (gatherings, then `member_gatherings`,
 * then `member_activity_weeks`), each table's rows in key order, so concurrent statements
 * cannot deadlock on them.
 */
function applyDeltas(
  changes: RawBuilder<unknown>,
  options: { canReachZero: boolean },
): RawBuilder<unknown> {
  const net = sql`
    select workspace_id, gathering_id, member_id, sum(delta)::int as delta
    from (${changes}) c group by 1, 2, 3 having sum(delta) <> 0`;
  // Lookups by key as scalar subqueries, one per changed row: inside a bulk load's transaction
  // the tables have no statistics yet, and a join could walk a workspace's gatherings once per
  // row (quadratic in the load).
  const keyed = sql`
    select * from (
      select c.workspace_id, c.gathering_id, c.member_id, c.delta,
        (select g.starts_at from gatherings g
          where g.workspace_id = c.workspace_id and g.id = c.gathering_id) as starts_at
      from (${net}) c
      where (select true from members m where m.workspace_id = c.workspace_id and m.id = c.member_id)
    ) c
    where starts_at is not null`;
  return sql`
    perform 1
    from (select distinct workspace_id, gathering_id from (${net}) c order by gathering_id) c
    cross join lateral (select 1 from gatherings g
      where g.workspace_id = c.workspace_id and g.id = c.gathering_id
      for no key update) locked;
    insert into member_gatherings (workspace_id, gathering_id, member_id, starts_at, attendance)
    select workspace_id, gathering_id, member_id, starts_at, delta from (${keyed}) k
    order by workspace_id, gathering_id, member_id
    on conflict (workspace_id, gathering_id, member_id)
    do update set attendance = member_gatherings.attendance + excluded.attendance;
    ${applyWeekDeltas(sql`select workspace_id, member_id, starts_at, delta from (${keyed}) k`)}
    ${
      options.canReachZero
        ? sql`delete from member_gatherings m
          using (${net}) k
          where m.workspace_id = k.workspace_id and m.gathering_id = k.gathering_id
            and m.member_id = k.member_id and m.attendance = 0 and k.delta < 0;`
        : sql``
    }`;
}

// biome-ignore lint/suspicious/noExplicitAny: as up().
export async function down(db: Kysely<any>): Promise<void> {
  await dropMemberActivityWeeks(db);
  for (const table of ['rsvps', 'check_ins']) {
    for (const event of ['insert', 'delete', 'update']) {
      const name = `${table}_member_gatherings_${event}`;
      await sql`drop trigger if exists ${sql.id(name)} on ${sql.table(table)}`.execute(db);
      await sql`drop function if exists ${sql.id(name)}()`.execute(db);
    }
  }
  await sql`drop trigger if exists gatherings_member_gatherings_moved on gatherings`.execute(db);
  await sql`drop function if exists gatherings_member_gatherings_moved()`.execute(db);
  await sql`drop table if exists member_gatherings`.execute(db);
}
