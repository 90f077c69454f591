import type { WorkspaceContext } from '../auth/caller.js';
import { PulseError } from '../errors.js';
import {
  type BookingDto,
  type CreateBookingInput,
  type ListBookingsInput,
  MAX_BOOKING_DAYS,
} from './bookings.contract.js';
import {
  type BookingRow,
  cancelBooking,
  findBooking,
  findOverlappingBooking,
  insertBooking,
  listBookings,
} from './bookings.queries.js';
import { lockRoom } from './rooms.queries.js';
import {
  actsForAnyone,
  notFound,
  optionalActingMemberId,
  requireOwnerOrAdmin,
} from './spaces.access.js';
import type { SpaceActivity } from './spaces.activity.js';
import { decodeKeyCursor, keyPage } from './spaces.cursor.js';
import { afterWrite } from './spaces.effects.js';
import { iso, isoOrNull, money, timeRange } from './spaces.fields.js';

const HOUR_MS = 3_600_000;

/**
 * Books a slot. The room row is locked for the overlap check and the insert, so of two
 * concurrent requests for overlapping slots exactly one is stored and the other gets 409.
 */
export async function createBooking(ctx: WorkspaceContext, input: CreateBookingInput) {
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  const durationMs = endsAt.getTime() - startsAt.getTime();
  if (durationMs <= 0) {
    throw new PulseError('VALIDATION_FAILED', 'must be after startsAt', { field: 'endsAt' });
  }
  if (durationMs > MAX_BOOKING_DAYS * 24 * HOUR_MS) {
    throw new PulseError(
      'VALIDATION_FAILED',
      `must be at most ${MAX_BOOKING_DAYS} days after startsAt`,
      { field: 'endsAt' },
    );
  }
  if (input.pricePaid !== undefined && !actsForAnyone(ctx.caller)) {
    throw new PulseError('FORBIDDEN', 'Only admins set the price of a booking', {
      field: 'pricePaid',
    });
  }
  const memberId = await optionalActingMemberId(ctx, input.memberId, 'memberId');
  const id = await ctx.scope.transaction(async (scope) => {
    const room = await lockRoom(scope, input.roomId);
    if (!room) throw notFound('room', 'roomId');
    const clash = await findOverlappingBooking(scope, room.id, startsAt, endsAt);
    if (clash) {
      throw new PulseError(
        'SLOT_TAKEN',
        `The room is booked from ${iso(clash.starts_at)} to ${iso(clash.ends_at)}`,
        { field: 'startsAt' },
      );
    }
    const price = input.pricePaid ?? (money(room.hourly_price) * durationMs) / HOUR_MS;
    return insertBooking(scope, {
      roomId: room.id,
      memberId,
      startsAt,
      endsAt,
      pricePaid: price.toFixed(2),
    });
  });
  const row = await requireBooking(ctx, id);
  await announceBooking(ctx, row, 'created');
  return bookingDto(row);
}

export async function cancelRoomBooking(ctx: WorkspaceContext, id: string): Promise<BookingDto> {
  const existing = await requireBooking(ctx, id);
  await requireOwnerOrAdmin(ctx, existing.member_id, 'Members cancel only their own bookings');
  if (existing.cancelled_at) return bookingDto(existing);
  await cancelBooking(ctx.scope, id, new Date());
  const row = await requireBooking(ctx, id);
  await announceBooking(ctx, row, 'cancelled');
  return bookingDto(row);
}

export async function listRoomBookings(ctx: WorkspaceContext, input: ListBookingsInput) {
  const rows = await listBookings(
    ctx.scope,
    {
      roomId: input.roomId,
      floorId: input.floorId,
      memberId: input.memberId,
      includeCancelled: input.includeCancelled === 'true',
      ...timeRange(input),
    },
    { limit: input.limit, after: decodeKeyCursor(input.cursor, 'time') },
  );
  return keyPage(rows, input.limit, bookingDto, (row) => ({ key: iso(row.starts_at), id: row.id }));
}

export async function getBooking(ctx: WorkspaceContext, id: string): Promise<BookingDto> {
  return bookingDto(await requireBooking(ctx, id));
}

async function requireBooking(ctx: WorkspaceContext, id: string): Promise<BookingRow> {
  const row = await findBooking(ctx.scope, id);
  if (!row) throw notFound('booking');
  return row;
}

async function announceBooking(
  ctx: WorkspaceContext,
  row: BookingRow,
  change: 'created' | 'cancelled',
): Promise<void> {
  const activity: SpaceActivity = {
    kind: 'booking',
    change,
    bookingId: row.id,
    roomId: row.room_id,
    floorId: row.floor_id,
    memberId: row.member_id,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    at: new Date().toISOString(),
  };
  await afterWrite(ctx, { topics: ['spaces'], activity: [activity] });
}

function bookingDto(row: BookingRow): BookingDto {
  return {
    id: row.id,
    roomId: row.room_id,
    floorId: row.floor_id,
    memberId: row.member_id,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    pricePaid: money(row.price_paid),
    createdAt: iso(row.created_at),
    cancelledAt: isoOrNull(row.cancelled_at),
  };
}
