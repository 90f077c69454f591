import { type Kysely, sql } from 'kysely';

/**
 * The statement recounting every UTC hour of the intervals `intervals` selects (workspace_id,
 * room_id, starts_at, ends_at): the rows with something in them are written, the others
 * deleted. Rooms deleted in the same statement (cascade) are skipped; their rows go with
 * them. The revenue share and the attendance rate are computed exactly as the revenue view
 * computes them per interval (float8, the span in whole hours, at least one).
 */
export const recountRoomHours = (intervals: string) => `
      with touched as (
        select distinct i.workspace_id, i.room_id, h.hour
        from (${intervals}) as i
        cross join lateral generate_series(date_trunc('hour', i.starts_at, 'UTC'),
          i.ends_at - interval '1 microsecond', interval '1 hour') as h(hour)
        where i.ends_at - i.starts_at <= interval '48 hours'
          and exists (select 1 from rooms r where r.workspace_id = i.workspace_id and r.id = i.room_id)
      ),
      counted as (
        select t.workspace_id, t.room_id, t.hour,
          count(*) filter (where c.kind = 'booking')::int as bookings,
          coalesce(sum(c.revenue) filter (where c.kind = 'booking'), 0) as booking_revenue,
          count(*) filter (where c.kind = 'gathering')::int as gatherings,
          coalesce(sum(c.revenue) filter (where c.kind = 'gathering'), 0) as gathering_revenue,
          coalesce(sum(c.attendance_rate), 0) as attendance_rate_sum
        from touched t
        left join lateral (
          select 'booking' as kind,
            b.price_paid::float8 / greatest(1, ceil(extract(epoch from b.ends_at - b.starts_at) / 3600)) as revenue,
            null::float8 as attendance_rate
          from room_bookings b
          where b.workspace_id = t.workspace_id and b.room_id = t.room_id and b.cancelled_at is null
            and b.starts_at > t.hour - interval '48 hours' and b.starts_at < t.hour + interval '1 hour'
            and b.ends_at > t.hour and b.ends_at - b.starts_at <= interval '48 hours'
          union all
          select 'gathering',
            g.price::float8 * coalesce(a.attendees, 0)
              / greatest(1, ceil(extract(epoch from g.ends_at - g.starts_at) / 3600)),
            coalesce(a.attendees, 0)::float8 / coalesce(g.capacity,
              (select r.capacity from rooms r where r.id = g.room_id))
          from gatherings g
          left join gathering_attendance a on a.workspace_id = g.workspace_id and a.gathering_id = g.id
          where g.workspace_id = t.workspace_id and g.room_id = t.room_id
            and g.starts_at > t.hour - interval '48 hours' and g.starts_at < t.hour + interval '1 hour'
            and g.ends_at > t.hour and g.ends_at - g.starts_at <= interval '48 hours'
        ) c on true
        group by t.workspace_id, t.room_id, t.hour
      ),
      upserted as (
        insert into room_hour_usage (workspace_id, room_id, hour, bookings, booking_revenue,
          gatherings, gathering_revenue, attendance_rate_sum)
        select * from counted where bookings + gatherings > 0
        on conflict (workspace_id, room_id, hour) do update set
          bookings = excluded.bookings, booking_revenue = excluded.booking_revenue,
          gatherings = excluded.gatherings, gathering_revenue = excluded.gathering_revenue,
          attendance_rate_sum = excluded.attendance_rate_sum
        returning 1
      )
      delete from room_hour_usage u using counted c
      where u.workspace_id = c.workspace_id and u.room_id = c.room_id and u.hour = c.hour
        and c.bookings + c.gatherings = 0;`;

/**
 * The triggers keeping `room_hour_usage` exact. Each collects the intervals (workspace, room,
 * start, end) whose contribution its statement changed, old and new versions alike, and
 * recounts every UTC hour they cover from the base tables, so a recount never depends on the
 * order or the kind of the changes. Part of 0008 (frozen with it).
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migration, see 0008_room_hour_usage.
export async function createRoomHourUsageTriggers(db: Kysely<any>): Promise<void> {
  // The rooms are locked (FOR NO KEY UPDATE, which does not conflict with the key share that
  // foreign-key checks take) before counting, and the count is a later statement with its own
  // snapshot: two concurrent writers to one room count one after the other, and the second
  // sees the first's rows.
  const lockAndRecount = (intervals: string) => `
    perform 1 from rooms r
    where (r.workspace_id, r.id) in (select workspace_id, room_id from (${intervals}) i)
    order by r.id
    for no key update;
    ${recountRoomHours(intervals)}`;

  // The body of a trigger function for insert, update and delete: `intervals` selects the
  // intervals to recount from `versions`: the inserted or deleted rows, and of an update only
  // those whose listed columns changed (a column set found in both transition tables is
  // unchanged, so a row whose key changed is recounted too). Branches, because a statement
  // may only name the transition tables its trigger has. Transition tables are read directly
  // (no arrays), so a bulk statement costs one pass.
  const triggerBody = (columns: string, intervals: string) => {
    const versions = {
      INSERT: `select ${columns} from new_rows`,
      DELETE: `select ${columns} from old_rows`,
      UPDATE: `(select ${columns} from old_rows except all select ${columns} from new_rows)
        union all (select ${columns} from new_rows except all select ${columns} from old_rows)`,
    };
    const branches = Object.entries(versions).map(
      ([op, select], i) =>
        `${i === 0 ? 'if' : 'elsif'} tg_op = '${op}' then
          ${lockAndRecount(intervals.replace('versions', `(${select}) versions`))}`,
    );
    return sql.raw(`begin\n${branches.join('\n')}\nend if;\nreturn null;\nend`);
  };
  const versionIntervals = 'select workspace_id, room_id, starts_at, ends_at from versions';
  const gatheringIntervals = (where: string) =>
    `select g.workspace_id, g.room_id, g.starts_at, g.ends_at from gatherings g where ${where}`;

  await sql`
    create function room_bookings_usage_changed() returns trigger language plpgsql
    set search_path from current as $$ ${triggerBody(
      'id, workspace_id, room_id, starts_at, ends_at, price_paid, cancelled_at is null as active',
      `${versionIntervals} where active`,
    )} $$`.execute(db);

  await sql`
    create function gatherings_usage_changed() returns trigger language plpgsql
    set search_path from current as $$ ${triggerBody(
      'id, workspace_id, room_id, starts_at, ends_at, price, capacity',
      versionIntervals,
    )} $$`.execute(db);

  // A gathering's attendees changed: its hours are recounted (a deleted gathering's are
  // recounted by its own delete trigger). No row counts as zero attendees.
  await sql`
    create function gathering_attendance_usage_changed() returns trigger language plpgsql
    set search_path from current as $$ ${triggerBody(
      'workspace_id, gathering_id, attendees',
      gatheringIntervals(
        '(g.workspace_id, g.id) in (select workspace_id, gathering_id from versions where attendees <> 0)',
      ),
    )} $$`.execute(db);

  // A room's capacity is the attendance rate's denominator of its gatherings without one.
  await sql`
    create function rooms_usage_changed() returns trigger language plpgsql
    set search_path from current as $$ begin
      ${sql.raw(
        lockAndRecount(
          gatheringIntervals(`g.capacity is null and (g.workspace_id, g.room_id) in (
            select n.workspace_id, n.id from new_rows n join old_rows o on o.id = n.id
            where o.capacity <> n.capacity)`),
        ),
      )}
      return null;
    end $$`.execute(db);

  for (const [table, fn] of [
    ['room_bookings', 'room_bookings_usage_changed'],
    ['gatherings', 'gatherings_usage_changed'],
    ['gathering_attendance', 'gathering_attendance_usage_changed'],
  ] as const) {
    for (const [name, event, transitions] of [
      ['inserted', 'insert', 'new table as new_rows'],
      ['updated', 'update', 'old table as old_rows new table as new_rows'],
      ['deleted', 'delete', 'old table as old_rows'],
    ] as const) {
      await sql`
        create trigger ${sql.id(`${table}_usage_${name}`)}
        after ${sql.raw(event)} on ${sql.table(table)}
        referencing ${sql.raw(transitions)}
        for each statement execute function ${sql.id(fn)}()`.execute(db);
    }
  }
  await sql`
    create trigger rooms_usage_updated after update on rooms
    referencing old table as old_rows new table as new_rows
    for each statement execute function rooms_usage_changed()`.execute(db);
}
