import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
/** numeric columns arrive as exact decimal strings; writes take numbers or strings. */
type Money = ColumnType<string, number | string | undefined, number | string>;
type Tags = ColumnType<string[], string[] | undefined, string[]>;

export const RSVP_STATUSES = ['going', 'interested', 'cancelled'] as const;
export type RsvpStatus = (typeof RSVP_STATUSES)[number];

export interface BuildingsTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  timezone: Generated<string>;
  created_at: CreatedAt;
}

export interface FloorsTable {
  id: Generated<string>;
  workspace_id: string;
  building_id: string;
  number: number;
  name: string;
  created_at: CreatedAt;
}

export interface RoomsTable {
  id: Generated<string>;
  workspace_id: string;
  floor_id: string;
  name: string;
  kind: string;
  capacity: number;
  x: Generated<number>;
  y: Generated<number>;
  width: Generated<number>;
  height: Generated<number>;
  amenities: Tags;
  hourly_price: Money;
  created_at: CreatedAt;
}

export interface MembersTable {
  id: Generated<string>;
  workspace_id: string;
  user_id: string | null;
  name: string;
  headline: string | null;
  bio: string | null;
  interests: Tags;
  home_floor_id: string | null;
  joined_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface GatheringsTable {
  id: Generated<string>;
  workspace_id: string;
  room_id: string;
  host_member_id: string | null;
  title: string;
  description: Generated<string>;
  tags: Tags;
  starts_at: Timestamp;
  ends_at: Timestamp;
  capacity: number | null;
  price: Money;
  created_at: CreatedAt;
}

export interface RsvpsTable {
  workspace_id: string;
  gathering_id: string;
  member_id: string;
  status: RsvpStatus;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Distinct attendees (going RSVPs ∪ check-ins) per gathering, kept by triggers: read-only. */
export interface GatheringAttendanceTable {
  workspace_id: string;
  gathering_id: string;
  attendees: number;
}

export interface CheckInsTable {
  /** bigint identity, read as a decimal string. */
  id: Generated<string>;
  workspace_id: string;
  member_id: string;
  room_id: string | null;
  gathering_id: string | null;
  checked_in_at: Timestamp;
  checked_out_at: NullableTimestamp;
}

export interface RoomBookingsTable {
  id: Generated<string>;
  workspace_id: string;
  room_id: string;
  member_id: string | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  price_paid: Money;
  created_at: CreatedAt;
  cancelled_at: NullableTimestamp;
}

export interface MemberConnectionsTable {
  workspace_id: string;
  /** The smaller of the two member ids (a check constraint keeps each pair once). */
  member_a: string;
  member_b: string;
  created_at: CreatedAt;
}

export interface SpacesTables {
  buildings: BuildingsTable;
  floors: FloorsTable;
  rooms: RoomsTable;
  members: MembersTable;
  gatherings: GatheringsTable;
  rsvps: RsvpsTable;
  check_ins: CheckInsTable;
  gathering_attendance: GatheringAttendanceTable;
  room_bookings: RoomBookingsTable;
  member_connections: MemberConnectionsTable;
}
