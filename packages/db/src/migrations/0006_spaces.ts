import { type Kysely, sql } from 'kysely';
import { createGatheringAttendance } from './0006_spaces.attendance.js';

// Frozen once landed: typed against Kysely<any> so later schema changes never break it.
// Every table carries workspace_id so WorkspaceScope reaches it, and composite foreign keys
// (workspace_id, id) make it impossible for a row to point into another workspace's building.
// biome-ignore lint/suspicious/noExplicitAny: see above.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table buildings (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      name text not null,
      timezone text not null default 'UTC',
      created_at timestamptz not null default now(),
      unique (workspace_id, id)
    )`.execute(db);

  await sql`
    create table floors (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null,
      building_id uuid not null,
      number integer not null,
      name text not null,
      created_at timestamptz not null default now(),
      unique (workspace_id, id),
      unique (building_id, number),
      foreign key (workspace_id, building_id) references buildings (workspace_id, id) on delete cascade
    )`.execute(db);

  await sql`
    create table rooms (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null,
      floor_id uuid not null,
      name text not null,
      kind text not null,
      capacity integer not null check (capacity > 0),
      x double precision not null default 0,
      y double precision not null default 0,
      width double precision not null default 1 check (width > 0),
      height double precision not null default 1 check (height > 0),
      amenities text[] not null default '{}',
      hourly_price numeric(12, 2) not null default 0 check (hourly_price >= 0),
      created_at timestamptz not null default now(),
      unique (workspace_id, id),
      foreign key (workspace_id, floor_id) references floors (workspace_id, id) on delete cascade
    )`.execute(db);
  await sql`create index rooms_floor_idx on rooms (workspace_id, floor_id)`.execute(db);

  // A member is a person of the building; user_id links the Pulse account that manages the
  // profile (null for people imported without an account).
  await sql`
    create table members (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      user_id uuid references users(id) on delete set null,
      name text not null,
      headline text,
      bio text,
      interests text[] not null default '{}',
      home_floor_id uuid,
      joined_at timestamptz not null default now(),
      unique (workspace_id, id),
      unique (user_id),
      foreign key (workspace_id, home_floor_id) references floors (workspace_id, id) on delete set null (home_floor_id)
    )`.execute(db);
  await sql`create index members_interests_idx on members using gin (interests)`.execute(db);

  await sql`
    create table gatherings (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null,
      room_id uuid not null,
      host_member_id uuid,
      title text not null,
      description text not null default '',
      tags text[] not null default '{}',
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      capacity integer check (capacity > 0),
      price numeric(12, 2) not null default 0 check (price >= 0),
      created_at timestamptz not null default now(),
      check (ends_at > starts_at),
      unique (workspace_id, id),
      foreign key (workspace_id, room_id) references rooms (workspace_id, id) on delete cascade,
      foreign key (workspace_id, host_member_id) references members (workspace_id, id) on delete set null (host_member_id)
    )`.execute(db);
  await sql`create index gatherings_time_idx on gatherings (workspace_id, starts_at)`.execute(db);
  await sql`create index gatherings_room_idx on gatherings (workspace_id, room_id, starts_at)`.execute(
    db,
  );

  await sql`
    create table rsvps (
      workspace_id uuid not null,
      gathering_id uuid not null,
      member_id uuid not null,
      status text not null check (status in ('going', 'interested', 'cancelled')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, gathering_id, member_id),
      foreign key (workspace_id, gathering_id) references gatherings (workspace_id, id) on delete cascade,
      foreign key (workspace_id, member_id) references members (workspace_id, id) on delete cascade
    )`.execute(db);
  // Attendance (going RSVPs ∪ check-ins) is read for tens of thousands of gatherings, or all
  // of a hundred members' gatherings, at once (network, revenue): these indexes cover those
  // reads, so no heap page is visited.
  await sql`create index rsvps_member_idx on rsvps (workspace_id, member_id) include (gathering_id, status)`.execute(
    db,
  );
  await sql`create index rsvps_going_idx on rsvps (workspace_id, gathering_id, member_id) where status = 'going'`.execute(
    db,
  );

  // A check-in is into a room, a gathering (whose room it then records too), or the building
  // (both null). Open check-ins (no checked_out_at) are the building's occupancy now.
  await sql`
    create table check_ins (
      id bigint generated always as identity primary key,
      workspace_id uuid not null,
      member_id uuid not null,
      room_id uuid,
      gathering_id uuid,
      checked_in_at timestamptz not null,
      checked_out_at timestamptz,
      check (checked_out_at is null or checked_out_at >= checked_in_at),
      foreign key (workspace_id, member_id) references members (workspace_id, id) on delete cascade,
      foreign key (workspace_id, room_id) references rooms (workspace_id, id) on delete cascade,
      foreign key (workspace_id, gathering_id) references gatherings (workspace_id, id) on delete cascade
    )`.execute(db);
  await sql`create index check_ins_time_idx on check_ins (workspace_id, checked_in_at)`.execute(db);
  await sql`create index check_ins_room_idx on check_ins (workspace_id, room_id, checked_in_at)`.execute(
    db,
  );
  await sql`create index check_ins_gathering_idx on check_ins (workspace_id, gathering_id, member_id) where gathering_id is not null`.execute(
    db,
  );
  await sql`create index check_ins_member_idx on check_ins (workspace_id, member_id, checked_in_at) include (gathering_id)`.execute(
    db,
  );
  await sql`create index check_ins_open_idx on check_ins (workspace_id, room_id) where checked_out_at is null`.execute(
    db,
  );
  // A person is in one place at a time: checking in elsewhere closes the open check-in first,
  // and this index makes a concurrent second one fail instead of leaving two open.
  await sql`create unique index check_ins_one_open_idx on check_ins (workspace_id, member_id) where checked_out_at is null`.execute(
    db,
  );
  await createGatheringAttendance(db);

  await sql`
    create table room_bookings (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null,
      room_id uuid not null,
      member_id uuid,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      price_paid numeric(12, 2) not null default 0 check (price_paid >= 0),
      created_at timestamptz not null default now(),
      cancelled_at timestamptz,
      check (ends_at > starts_at),
      unique (workspace_id, id),
      foreign key (workspace_id, room_id) references rooms (workspace_id, id) on delete cascade,
      foreign key (workspace_id, member_id) references members (workspace_id, id) on delete set null (member_id)
    )`.execute(db);
  await sql`create index room_bookings_room_idx on room_bookings (workspace_id, room_id, starts_at)`.execute(
    db,
  );
  await sql`create index room_bookings_time_idx on room_bookings (workspace_id, starts_at)`.execute(
    db,
  );

  // One row per pair, smaller id first, so a connection cannot be stored twice.
  await sql`
    create table member_connections (
      workspace_id uuid not null,
      member_a uuid not null,
      member_b uuid not null,
      created_at timestamptz not null default now(),
      primary key (workspace_id, member_a, member_b),
      check (member_a < member_b),
      foreign key (workspace_id, member_a) references members (workspace_id, id) on delete cascade,
      foreign key (workspace_id, member_b) references members (workspace_id, id) on delete cascade
    )`.execute(db);
  await sql`create index member_connections_b_idx on member_connections (workspace_id, member_b)`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: frozen migration, see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'gathering_attendance',
    'member_connections',
    'room_bookings',
    'check_ins',
    'rsvps',
    'gatherings',
    'members',
    'rooms',
    'floors',
    'buildings',
  ]) {
    await db.schema.dropTable(table).ifExists().cascade().execute();
  }
  await sql`drop function if exists recount_gathering_attendance()`.execute(db);
}
