import type { WorkspaceScope } from '@pulse/db';
import { MAX_BOOKING_DAYS } from './bookings.contract.js';
import type { KeyCursor } from './spaces.cursor.js';

function bookingsWithFloor(scope: WorkspaceScope) {
  return scope
    .selectFrom('room_bookings')
    .innerJoin('rooms', (join) =>
      join
        .onRef('rooms.workspace_id', '=', 'room_bookings.workspace_id')
        .onRef('rooms.id', '=', 'room_bookings.room_id'),
    )
    .select([
      'room_bookings.id',
      'room_bookings.room_id',
      'rooms.floor_id',
      'room_bookings.member_id',
      'room_bookings.starts_at',
      'room_bookings.ends_at',
      'room_bookings.price_paid',
      'room_bookings.created_at',
      'room_bookings.cancelled_at',
    ]);
}

export function findBooking(scope: WorkspaceScope, id: string) {
  return bookingsWithFloor(scope).where('room_bookings.id', '=', id).executeTakeFirst();
}

/** A live booking of the room overlapping [startsAt, endsAt), if any. */
export function findOverlappingBooking(
  scope: WorkspaceScope,
  roomId: string,
  startsAt: Date,
  endsAt: Date,
) {
  return bookingsWithFloor(scope)
    .where('room_bookings.room_id', '=', roomId)
    .where('room_bookings.cancelled_at', 'is', null)
    .where('room_bookings.starts_at', '<', endsAt)
    .where('room_bookings.ends_at', '>', startsAt)
    .orderBy('room_bookings.starts_at')
    .limit(1)
    .executeTakeFirst();
}

export async function insertBooking(
  scope: WorkspaceScope,
  values: {
    roomId: string;
    memberId: string | null;
    startsAt: Date;
    endsAt: Date;
    pricePaid: string;
  },
): Promise<string> {
  const row = await scope
    .insertInto('room_bookings', {
      room_id: values.roomId,
      member_id: values.memberId,
      starts_at: values.startsAt,
      ends_at: values.endsAt,
      price_paid: values.pricePaid,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function cancelBooking(scope: WorkspaceScope, id: string, at: Date): Promise<void> {
  await scope
    .updateTable('room_bookings')
    .set({ cancelled_at: at })
    .where('id', '=', id)
    .where('cancelled_at', 'is', null)
    .execute();
}

export interface BookingFilters {
  roomId?: string;
  floorId?: string;
  memberId?: string;
  includeCancelled: boolean;
  from?: Date;
  to?: Date;
}

export function listBookings(
  scope: WorkspaceScope,
  filters: BookingFilters,
  page: { limit: number; after?: KeyCursor<string> },
) {
  let query = bookingsWithFloor(scope)
    .orderBy('room_bookings.starts_at')
    .orderBy('room_bookings.id')
    .limit(page.limit + 1);
  if (filters.roomId) query = query.where('room_bookings.room_id', '=', filters.roomId);
  if (filters.floorId) query = query.where('rooms.floor_id', '=', filters.floorId);
  if (filters.memberId) query = query.where('room_bookings.member_id', '=', filters.memberId);
  if (!filters.includeCancelled) query = query.where('room_bookings.cancelled_at', 'is', null);
  const from = filters.from;
  if (from) {
    // Nothing lasts longer than MAX_BOOKING_DAYS days, which bounds the start-time index scan.
    const earliestStart = new Date(from.getTime() - MAX_BOOKING_DAYS * 86_400_000);
    query = query
      .where('room_bookings.ends_at', '>', from)
      .where('room_bookings.starts_at', '>', earliestStart);
  }
  if (filters.to) query = query.where('room_bookings.starts_at', '<', filters.to);
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      eb(
        eb.refTuple('room_bookings.starts_at', 'room_bookings.id'),
        '>',
        eb.tuple(new Date(after.key), after.id),
      ),
    );
  }
  return query.execute();
}

export type BookingRow = NonNullable<Awaited<ReturnType<typeof findBooking>>>;
