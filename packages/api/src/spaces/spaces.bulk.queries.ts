import type { WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';

// Bulk loading for the demo generator: one `insert … select from unnest(…)` per call, each
// column one array parameter, so a chunk of tens of thousands of rows is one round trip.
// Times are ISO strings; tags are comma-joined (tags never contain commas).

export interface GatheringColumns {
  id: string[];
  roomId: string[];
  hostMemberId: (string | null)[];
  title: string[];
  description: string[];
  tags: string[];
  startsAt: string[];
  endsAt: string[];
  capacity: (number | null)[];
  price: number[];
}

export async function bulkInsertGatherings(scope: WorkspaceScope, c: GatheringColumns) {
  await scope.executeRaw(sql`
    insert into gatherings (workspace_id, id, room_id, host_member_id, title, description, tags,
                            starts_at, ends_at, capacity, price)
    select ${scope.workspaceId}::uuid, id, room_id, host, title, description,
           string_to_array(tags, ','), starts_at, ends_at, capacity, price
    from unnest(${c.id}::uuid[], ${c.roomId}::uuid[], ${c.hostMemberId}::uuid[], ${c.title}::text[],
                ${c.description}::text[], ${c.tags}::text[], ${c.startsAt}::timestamptz[],
                ${c.endsAt}::timestamptz[], ${c.capacity}::int4[], ${c.price}::numeric[])
      as t(id, room_id, host, title, description, tags, starts_at, ends_at, capacity, price)`);
}

export interface RsvpColumns {
  gatheringId: string[];
  memberId: string[];
  status: string[];
  at: string[];
}

export async function bulkInsertRsvps(scope: WorkspaceScope, c: RsvpColumns) {
  await scope.executeRaw(sql`
    insert into rsvps (workspace_id, gathering_id, member_id, status, created_at, updated_at)
    select ${scope.workspaceId}::uuid, gathering_id, member_id, status, at, at
    from unnest(${c.gatheringId}::uuid[], ${c.memberId}::uuid[], ${c.status}::text[],
                ${c.at}::timestamptz[])
      as t(gathering_id, member_id, status, at)`);
}

export interface BookingColumns {
  id: string[];
  roomId: string[];
  memberId: (string | null)[];
  startsAt: string[];
  endsAt: string[];
  pricePaid: number[];
  createdAt: string[];
  cancelledAt: (string | null)[];
}

export async function bulkInsertBookings(scope: WorkspaceScope, c: BookingColumns) {
  await scope.executeRaw(sql`
    insert into room_bookings (workspace_id, id, room_id, member_id, starts_at, ends_at, price_paid,
                               created_at, cancelled_at)
    select ${scope.workspaceId}::uuid, id, room_id, member_id, starts_at, ends_at, price_paid,
           created_at, cancelled_at
    from unnest(${c.id}::uuid[], ${c.roomId}::uuid[], ${c.memberId}::uuid[],
                ${c.startsAt}::timestamptz[], ${c.endsAt}::timestamptz[], ${c.pricePaid}::numeric[],
                ${c.createdAt}::timestamptz[], ${c.cancelledAt}::timestamptz[])
      as t(id, room_id, member_id, starts_at, ends_at, price_paid, created_at, cancelled_at)`);
}

export interface CheckInColumns {
  memberId: string[];
  roomId: (string | null)[];
  gatheringId: (string | null)[];
  checkedInAt: string[];
  checkedOutAt: (string | null)[];
}

export async function bulkInsertCheckIns(scope: WorkspaceScope, c: CheckInColumns) {
  await scope.executeRaw(sql`
    insert into check_ins (workspace_id, member_id, room_id, gathering_id, checked_in_at,
                           checked_out_at)
    select ${scope.workspaceId}::uuid, member_id, room_id, gathering_id, checked_in_at,
           checked_out_at
    from unnest(${c.memberId}::uuid[], ${c.roomId}::uuid[], ${c.gatheringId}::uuid[],
                ${c.checkedInAt}::timestamptz[], ${c.checkedOutAt}::timestamptz[])
      as t(member_id, room_id, gathering_id, checked_in_at, checked_out_at)`);
}
