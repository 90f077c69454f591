import type { WorkspaceScope } from '@pulse/db';
import { type RawBuilder, sql } from 'kysely';

export interface SlotRow {
  room_id: string;
  dow: number;
  hour: number;
  used_hours: number;
  revenue: number;
  bookings: number;
  gatherings: number;
  attendance_rate: number | null;
  booking_hour_price: number | null;
}

/**
 * JIT off (the row estimates of `generate_series` per interval are far off, so PostgreSQL
 * judges the query worth compiling: ~0.6 s of LLVM), and room for the ~45,000 groups of sums
 * a month of the large building makes, which spill to disk at the default 4 MB.
 */
function readWithRoom<R>(scope: WorkspaceScope, query: RawBuilder<R>) {
  return scope.transaction(async (trx) => {
    await trx.executeRaw(sql`set local jit = off`);
    await trx.executeRaw(sql`set local work_mem = '32MB'`);
    return trx.executeRaw(query);
  });
}

/**
 * Per room and hour of the week (building time zone): the hours of [from, to) in which a
 * booking (not cancelled) or a gathering used the room, the revenue falling in them (each
 * booking's price and each gathering's price × attendees spread evenly over its hours, in
 * whole hours, at least one), and the counts and rates behind it. `from` and `to` are whole
 * UTC hours.
 *
 * An interval's hours are the local wall-clock hours from the one its start falls in to the
 * one before its end. Most are read from `room_hour_usage` (per room and UTC hour, kept by
 * triggers): a UTC hour stands for its local hour exactly when the zone's offset is whole
 * hours and the same from the hour before to two hours after it (then an interval of at most
 * 48 hours covers the local hour if and only if it covers the UTC hour). Around an offset
 * change (a DST switch; everywhere in a half-hour zone) the intervals nearby are expanded hour
 * by hour instead, keeping only the local hours no UTC hour stands for; so are intervals
 * longer than the table keeps, which are selected as before: starting after `from` − 48 h.
 * (This assumes no zone ever moves its clocks back by more than two hours at once, as none
 * does; `revenue.usage.test.ts` compares both ways of counting across DST and half-hour zones.)
 */
export async function slotUsage(
  scope: WorkspaceScope,
  building: { id: string; timezone: string },
  from: Date,
  to: Date,
): Promise<SlotRow[]> {
  const ws = scope.workspaceId;
  const tz = building.timezone;
  // An interval's revenue per hour is its revenue over this, as the triggers compute it.
  const span = (alias: string) =>
    sql`greatest(1, ceil(extract(epoch from ${sql.ref(`${alias}.ends_at`)} - ${sql.ref(`${alias}.starts_at`)}) / 3600))`;
  const { rows } = await readWithRoom(
    scope,
    sql<SlotRow>`
    with rms as (
      select r.id, r.capacity from rooms r
      join floors f on f.workspace_id = r.workspace_id and f.id = r.floor_id
      where r.workspace_id = ${ws} and f.building_id = ${building.id}
    ),
    offsets as (
      select h.at, h.at at time zone ${tz} as local_hour,
        (h.at at time zone ${tz}) - (h.at at time zone 'UTC') as off
      from generate_series(${from}::timestamptz - interval '6 hours', ${to}::timestamptz + interval '6 hours',
        interval '1 hour') as h(at)
    ),
    judged as (
      select at, local_hour, off, coalesce(date_trunc('hour', off) = off and off = lag(off) over w
        and off = lead(off) over w and off = lead(off, 2) over w, false) as clean
      from offsets window w as (order by at)
    ),
    clean as (select at, local_hour, off from judged where clean and at >= ${from} and at < ${to}),
    -- The clean hours as runs of one offset (one run unless the window spans an offset
    -- change): table rows find their hour of the week by arithmetic, not a join per hour.
    clean_runs as (
      select min(at) as lo, max(at) + interval '1 hour' as hi,
        (extract(epoch from off) / 3600)::int as off_hours
      from (select at, off, at - row_number() over (partition by off order by at) * interval '1 hour' as run
        from clean) runs
      group by off, run
    ),
    -- Runs of hours no UTC hour answers for, widened so every interval whose local hours
    -- could reach into them overlaps.
    unclear as (
      select min(at) - interval '3 hours' as lo, max(at) + interval '4 hours' as hi
      from (
        select at, at - row_number() over (order by at) * interval '1 hour' as run
        from judged
        where not clean and at >= ${from}::timestamptz - interval '3 hours' and at < ${to}::timestamptz + interval '3 hours'
      ) runs
      group by run
    ),
    -- Intervals longer than the table keeps, selected as the revenue view always has (start
    -- after from − 48 h), and the shorter ones near unclear hours.
    expand_ids as (
      select 'booking' as kind, b.id from room_bookings b
      where b.workspace_id = ${ws} and b.ends_at - b.starts_at > interval '48 hours'
        and b.starts_at > ${from}::timestamptz - interval '48 hours' and b.starts_at < ${to}
      union
      select 'booking', b.id from unclear u join room_bookings b on b.workspace_id = ${ws}
        and b.starts_at >= u.lo - interval '48 hours' and b.starts_at < u.hi and b.ends_at > u.lo
        and b.ends_at - b.starts_at <= interval '48 hours'
      union
      select 'gathering', g.id from gatherings g
      where g.workspace_id = ${ws} and g.ends_at - g.starts_at > interval '48 hours'
        and g.starts_at > ${from}::timestamptz - interval '48 hours' and g.starts_at < ${to}
      union
      select 'gathering', g.id from unclear u join gatherings g on g.workspace_id = ${ws}
        and g.starts_at >= u.lo - interval '48 hours' and g.starts_at < u.hi and g.ends_at > u.lo
        and g.ends_at - g.starts_at <= interval '48 hours'
    ),
    expand as (
      select 'booking' as kind, b.id, b.room_id, b.starts_at, b.ends_at,
        b.price_paid::float8 as revenue, null::float8 as attendance_rate
      from expand_ids x join room_bookings b on b.workspace_id = ${ws} and b.id = x.id
      where x.kind = 'booking' and b.room_id in (select id from rms) and b.cancelled_at is null
        and b.starts_at < ${to} and b.ends_at > ${from}
      union all
      select 'gathering', g.id, g.room_id, g.starts_at, g.ends_at,
        g.price::float8 * coalesce(a.attendees, 0),
        coalesce(a.attendees, 0)::float8 / coalesce(g.capacity, rms.capacity)
      from expand_ids x join gatherings g on g.workspace_id = ${ws} and g.id = x.id
      join rms on rms.id = g.room_id
      left join gathering_attendance a on a.workspace_id = g.workspace_id and a.gathering_id = g.id
      where x.kind = 'gathering' and g.starts_at < ${to} and g.ends_at > ${from}
    ),
    expanded as (
      select e.kind, e.id, e.room_id, e.revenue / ${span('e')} as revenue, e.attendance_rate,
        h.local_hour
      from expand e
      cross join lateral generate_series(
        date_trunc('hour', greatest(e.starts_at, ${from}::timestamptz) at time zone ${tz}),
        (least(e.ends_at, ${to}::timestamptz) at time zone ${tz}) - interval '1 microsecond',
        interval '1 hour') as h(local_hour)
      where e.ends_at - e.starts_at > interval '48 hours'
        or not exists (select 1 from clean c where c.local_hour = h.local_hour)
    ),
    expanded_slots as (
      select e.room_id,
        (extract(isodow from e.local_hour)::int - 1) * 24 + extract(hour from e.local_hour)::int as slot,
        -- A long interval's hour may be in the table already (through shorter ones).
        count(distinct e.local_hour) filter (where u.room_id is null)::int as hours,
        sum(e.revenue) as revenue,
        count(distinct e.id) filter (where e.kind = 'booking')::int as bookings,
        count(*) filter (where e.kind = 'booking')::int as booking_hours,
        coalesce(sum(e.revenue) filter (where e.kind = 'booking'), 0) as booking_revenue,
        count(distinct e.id) filter (where e.kind = 'gathering')::int as gatherings,
        count(*) filter (where e.kind = 'gathering')::int as gathering_hours,
        coalesce(sum(e.attendance_rate), 0) as attendance_rate_sum
      from expanded e
      left join clean c on c.local_hour = e.local_hour
      left join room_hour_usage u on u.workspace_id = ${ws} and u.room_id = e.room_id and u.hour = c.at
      group by 1, 2
    ),
    -- Table rows: an interval of at most 48 hours covers an hour of the week at most once, so
    -- summing the per-hour counts counts each once. Hour of the week 0 is Monday 00:00; the
    -- epoch began on a Thursday, 72 hours after a Monday began.
    slot_parts as (
      select u.room_id,
        ((date_part('epoch', u.hour)::bigint / 3600 + r.off_hours + 72) % 168)::int as slot,
        1 as hours, u.booking_revenue + u.gathering_revenue as revenue,
        u.bookings, u.bookings as booking_hours, u.booking_revenue,
        u.gatherings, u.gatherings as gathering_hours, u.attendance_rate_sum
      from room_hour_usage u join clean_runs r on u.hour >= r.lo and u.hour < r.hi
      where u.workspace_id = ${ws} and u.room_id in (select id from rms)
        and u.hour >= ${from} and u.hour < ${to}
      union all
      select room_id, slot, hours, revenue, bookings, booking_hours, booking_revenue,
        gatherings, gathering_hours, attendance_rate_sum
      from expanded_slots
    )
    select room_id, slot / 24 + 1 as dow, slot % 24 as hour, sum(hours)::int as used_hours,
      sum(revenue)::float8 as revenue, sum(bookings)::int as bookings,
      sum(gatherings)::int as gatherings,
      (sum(attendance_rate_sum) / nullif(sum(gathering_hours), 0))::float8 as attendance_rate,
      (sum(booking_revenue) / nullif(sum(booking_hours), 0))::float8 as booking_hour_price
    from slot_parts
    group by room_id, slot`,
  );
  return rows;
}
