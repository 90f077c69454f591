import type { WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';
import { withoutJit } from '../spaces/presence.queries.js';

export interface RevenueRoomRow {
  id: string;
  name: string;
  floor_id: string;
  floor: number;
  capacity: number;
  hourly_price: string;
}

export async function buildingRooms(
  scope: WorkspaceScope,
  buildingId: string,
): Promise<RevenueRoomRow[]> {
  const { rows } = await scope.executeRaw(sql<RevenueRoomRow>`
    select r.id, r.name, r.floor_id, f.number as floor, r.capacity, r.hourly_price
    from rooms r join floors f on f.workspace_id = r.workspace_id and f.id = r.floor_id
    where r.workspace_id = ${scope.workspaceId} and f.building_id = ${buildingId}
    order by f.number, r.name, r.id`);
  return rows;
}

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

// Bookings and gatherings longer than this are clipped by the index bound, not missed: the
// bound only lets the (room, starts_at) index find everything overlapping the window.
const LONGEST_INTERVAL_HOURS = 48;

/**
 * Per room and hour of the week (building time zone): the hours of [from, to) in which a
 * booking (not cancelled) or a gathering used the room, the revenue falling in them (each
 * booking's price and each gathering's price × attendees spread evenly over its hours), and
 * the counts and rates behind it.
 */
export async function slotUsage(
  scope: WorkspaceScope,
  building: { id: string; timezone: string },
  from: Date,
  to: Date,
): Promise<SlotRow[]> {
  const ws = scope.workspaceId;
  const tz = building.timezone;
  const earliest = sql`${from}::timestamptz - make_interval(hours => ${LONGEST_INTERVAL_HOURS})`;
  const { rows } = await withoutJit(
    scope,
    sql<SlotRow>`
    with rms as (
      select r.id, r.capacity from rooms r
      join floors f on f.workspace_id = r.workspace_id and f.id = r.floor_id
      where r.workspace_id = ${ws} and f.building_id = ${building.id}
    ),
    -- Distinct attendees (going RSVPs ∪ check-ins) are kept per gathering by the database.
    held as (
      select g.id, g.room_id, g.starts_at, g.ends_at, g.price, coalesce(g.capacity, rms.capacity) as capacity,
        coalesce(a.attendees, 0) as attendees
      from gatherings g join rms on rms.id = g.room_id
      left join gathering_attendance a on a.workspace_id = g.workspace_id and a.gathering_id = g.id
      where g.workspace_id = ${ws}
        and g.starts_at > ${earliest} and g.starts_at < ${to} and g.ends_at > ${from}
    ),
    intervals as (
      select 'booking' as kind, b.id, b.room_id, b.starts_at, b.ends_at,
        b.price_paid::float8 as revenue, null::float8 as attendance_rate
      from room_bookings b
      where b.workspace_id = ${ws} and b.room_id in (select id from rms) and b.cancelled_at is null
        and b.starts_at > ${earliest} and b.starts_at < ${to} and b.ends_at > ${from}
      union all
      select 'gathering', h.id, h.room_id, h.starts_at, h.ends_at,
        h.price::float8 * h.attendees, h.attendees::float8 / h.capacity
      from held h
    ),
    instances as (
      select i.kind, i.id, i.room_id, i.revenue, i.attendance_rate, h.local_hour,
        greatest(1, ceil(extract(epoch from i.ends_at - i.starts_at) / 3600)) as span_hours
      from intervals i
      cross join lateral generate_series(
        date_trunc('hour', greatest(i.starts_at, ${from}) at time zone ${tz}),
        (least(i.ends_at, ${to}) at time zone ${tz}) - interval '1 microsecond',
        interval '1 hour') as h(local_hour)
    )
    select room_id,
      extract(isodow from local_hour)::int as dow,
      extract(hour from local_hour)::int as hour,
      count(distinct local_hour)::int as used_hours,
      coalesce(sum(revenue / span_hours), 0)::float8 as revenue,
      count(distinct id) filter (where kind = 'booking')::int as bookings,
      count(distinct id) filter (where kind = 'gathering')::int as gatherings,
      avg(attendance_rate) filter (where kind = 'gathering')::float8 as attendance_rate,
      avg(revenue / span_hours) filter (where kind = 'booking')::float8 as booking_hour_price
    from instances
    group by room_id, dow, hour`,
  );
  return rows;
}
