import type { Database, WorkspaceScope } from '@pulse/db';
import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { SlotRow } from './revenue.slots.queries.js';

// Support for the revenue tests (not built): rows written straight to the tables, the
// `room_hour_usage` recount they are compared with, and the slot query the table replaced.

type Row<T extends keyof Database> = Omit<Insertable<Database[T]>, 'workspace_id'>;

export async function insertRows<
  T extends 'buildings' | 'floors' | 'rooms' | 'members' | 'gatherings' | 'room_bookings',
>(scope: WorkspaceScope, table: T, rows: Row<T>[]): Promise<string[]> {
  const inserted = await scope
    .insertInto(table as 'rooms', rows as Row<'rooms'>[])
    .returning('id')
    .execute();
  return inserted.map((row) => row.id);
}

export async function insertRow<
  T extends 'buildings' | 'floors' | 'rooms' | 'members' | 'gatherings' | 'room_bookings',
>(scope: WorkspaceScope, table: T, row: Row<T>): Promise<string> {
  const [id] = await insertRows(scope, table, [row]);
  if (!id) throw new Error(`no ${table} row inserted`);
  return id;
}

const plain = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/** Dates as ISO strings, so rows compare as plain values. */
export const rounded = <T extends object>(row: T): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).map(([key, value]) => [key, plain(value)]));

/**
 * `actual` with each number that is within 1e-9 (relative) of the one `expected` has at the
 * same place replaced by it: sums in another order differ in the last bits, nothing else may.
 */
export function withinFloatNoise(
  actual: Record<string, unknown>[],
  expected: Record<string, unknown>[],
): Record<string, unknown>[] {
  return actual.map((row, i) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => {
        const twin = expected[i]?.[key];
        const close =
          typeof value === 'number' &&
          typeof twin === 'number' &&
          Math.abs(value - twin) <= 1e-9 * Math.max(1, Math.abs(twin));
        return [key, close ? twin : value];
      }),
    ),
  );
}

/** `room_hour_usage` as the triggers left it. */
export async function storedUsage(scope: WorkspaceScope) {
  const { rows } = await scope.executeRaw(sql<object>`
    select room_id, hour, bookings, booking_revenue, gatherings, gathering_revenue, attendance_rate_sum
    from room_hour_usage where workspace_id = ${scope.workspaceId} order by room_id, hour`);
  return rows.map(rounded);
}

/** The same rows recounted from scratch: every interval of ≤ 48 h expanded by UTC hour. */
export async function recountedUsage(scope: WorkspaceScope) {
  const span = sql`greatest(1, ceil(extract(epoch from ends_at - starts_at) / 3600))`;
  const { rows } = await scope.executeRaw(sql<object>`
    with intervals as (
      select 'booking' as kind, room_id, starts_at, ends_at, price_paid::float8 as revenue,
        null::float8 as rate
      from room_bookings where workspace_id = ${scope.workspaceId} and cancelled_at is null
      union all
      select 'gathering', g.room_id, g.starts_at, g.ends_at,
        g.price::float8 * coalesce(a.attendees, 0),
        coalesce(a.attendees, 0)::float8 / coalesce(g.capacity, r.capacity)
      from gatherings g join rooms r on r.workspace_id = g.workspace_id and r.id = g.room_id
      left join gathering_attendance a on a.workspace_id = g.workspace_id and a.gathering_id = g.id
      where g.workspace_id = ${scope.workspaceId}
    )
    select room_id, h.hour,
      count(*) filter (where kind = 'booking')::int as bookings,
      coalesce(sum(revenue / ${span}) filter (where kind = 'booking'), 0) as booking_revenue,
      count(*) filter (where kind = 'gathering')::int as gatherings,
      coalesce(sum(revenue / ${span}) filter (where kind = 'gathering'), 0) as gathering_revenue,
      coalesce(sum(rate), 0) as attendance_rate_sum
    from intervals
    cross join lateral generate_series(date_trunc('hour', starts_at, 'UTC'),
      ends_at - interval '1 microsecond', interval '1 hour') as h(hour)
    where ends_at - starts_at <= interval '48 hours'
    group by room_id, h.hour order by room_id, h.hour`);
  return rows.map(rounded);
}

// As before: intervals starting 48 hours or more before `from` are not selected.
const LONGEST_INTERVAL_HOURS = 48;

/**
 * The slots as computed before `room_hour_usage` (every interval expanded hour by hour in the
 * building's zone), kept here to prove the table-backed query answers the same.
 * Per room and hour of the week (building time zone): the hours of [from, to) in which a
 * booking (not cancelled) or a gathering used the room, the revenue falling in them (each
 * booking's price and each gathering's price × attendees spread evenly over its hours), and
 * the counts and rates behind it.
 */
export async function slotUsageByExpansion(
  scope: WorkspaceScope,
  building: { id: string; timezone: string },
  from: Date,
  to: Date,
): Promise<SlotRow[]> {
  const ws = scope.workspaceId;
  const tz = building.timezone;
  const earliest = sql`${from}::timestamptz - make_interval(hours => ${LONGEST_INTERVAL_HOURS})`;
  const { rows } = await scope.executeRaw(
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
