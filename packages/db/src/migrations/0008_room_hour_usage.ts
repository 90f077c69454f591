import { type Kysely, sql } from 'kysely';
import { createRoomHourUsageTriggers, recountRoomHours } from './0008_room_hour_usage.triggers.js';

/**
 * `room_hour_usage`: per room and UTC hour, what the bookings (not cancelled) and gatherings
 * overlapping that hour add to the revenue view: counts, revenue shares (each interval's
 * price, or price × attendees, spread evenly over its hours) and the gatherings' attendance
 * rates. The revenue view reads a few weeks of these rows instead of expanding ~50,000
 * intervals hour by hour. Hours are instants: the building's time zone is applied when
 * reading, so changing it needs no rebuild.
 *
 * Only intervals of at most 48 hours are kept: the revenue view expands longer ones itself
 * (they may cover one hour of the week several times, which per-hour sums cannot tell), and
 * the bound lets a recount find every interval of an hour through the (room, starts_at)
 * indexes. The 48 is repeated in the triggers and in the revenue queries' partial-index
 * predicates; a migration is frozen, so it cannot import it.
 *
 * Kept exact by statement-level triggers that recount the (room, hour) rows a statement
 * touched, like `gathering_attendance`, so cascades and bulk loads are covered.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen once landed, like every migration.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table room_hour_usage (
      workspace_id uuid not null,
      room_id uuid not null,
      hour timestamptz not null,
      bookings integer not null check (bookings >= 0),
      booking_revenue double precision not null,
      gatherings integer not null check (gatherings >= 0),
      gathering_revenue double precision not null,
      attendance_rate_sum double precision not null,
      primary key (workspace_id, room_id, hour),
      check (bookings + gatherings > 0),
      foreign key (workspace_id, room_id) references rooms (workspace_id, id) on delete cascade
    )`.execute(db);

  // The revenue view reads a window of hours of all rooms: a range of this index, without
  // visiting the table.
  await sql`
    create index room_hour_usage_hour_idx on room_hour_usage (workspace_id, hour)
    include (room_id, bookings, booking_revenue, gatherings, gathering_revenue, attendance_rate_sum)`.execute(
    db,
  );
  // The revenue view finds intervals longer than the table keeps through these.
  await sql`
    create index room_bookings_long_idx on room_bookings (workspace_id, starts_at)
    where ends_at - starts_at > interval '48 hours'`.execute(db);
  await sql`
    create index gatherings_long_idx on gatherings (workspace_id, starts_at)
    where ends_at - starts_at > interval '48 hours'`.execute(db);

  await createRoomHourUsageTriggers(db);

  // Existing rows: every room's intervals, counted as the triggers count them.
  await sql
    .raw(
      recountRoomHours(`
        select workspace_id, room_id, starts_at, ends_at from room_bookings where cancelled_at is null
        union all
        select workspace_id, room_id, starts_at, ends_at from gatherings`),
    )
    .execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists room_hour_usage`.execute(db);
  await sql`drop index if exists room_bookings_long_idx`.execute(db);
  await sql`drop index if exists gatherings_long_idx`.execute(db);
  for (const [trigger, table] of [
    ['room_bookings_usage_inserted', 'room_bookings'],
    ['room_bookings_usage_updated', 'room_bookings'],
    ['room_bookings_usage_deleted', 'room_bookings'],
    ['gatherings_usage_inserted', 'gatherings'],
    ['gatherings_usage_updated', 'gatherings'],
    ['gatherings_usage_deleted', 'gatherings'],
    ['gathering_attendance_usage_inserted', 'gathering_attendance'],
    ['gathering_attendance_usage_updated', 'gathering_attendance'],
    ['gathering_attendance_usage_deleted', 'gathering_attendance'],
    ['rooms_usage_updated', 'rooms'],
  ] as const) {
    await sql`drop trigger if exists ${sql.id(trigger)} on ${sql.table(table)}`.execute(db);
  }
  for (const fn of [
    'room_bookings_usage_changed',
    'gatherings_usage_changed',
    'gathering_attendance_usage_changed',
    'rooms_usage_changed',
  ]) {
    await sql`drop function if exists ${sql.id(fn)}`.execute(db);
  }
}
