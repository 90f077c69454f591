import type { WorkspaceScope } from '@pulse/db';
import type { WorkspaceContext } from '../auth/caller.js';
import { lockMember } from '../community/members.queries.js';
import { PulseError } from '../errors.js';
import type { EventDto } from '../events/events.contract.js';
import type { CheckInDto, CheckInInput, CheckOutInput } from './check-ins.contract.js';
import {
  type CheckInRow,
  closeCheckIn,
  findCheckIn,
  findOpenCheckIn,
  insertCheckIn,
} from './check-ins.queries.js';
import { findGathering } from './gatherings.queries.js';
import { findRoomPlace } from './rooms.queries.js';
import { actingMemberId, notFound } from './spaces.access.js';
import type { SpaceActivity } from './spaces.activity.js';
import { afterWrite } from './spaces.effects.js';
import { gatheringPlace, type Place, spaceEvent, storeSpaceEvents } from './spaces.events.js';
import { iso, isoOrNull } from './spaces.fields.js';

// Clocks of door readers drift a little; a minute ahead is still "now".
const MAX_FUTURE_MS = 60_000;
// People arrive early: a gathering takes check-ins from an hour before it starts.
const EARLY_ARRIVAL_MS = 3_600_000;

const NOWHERE: Place = {
  roomId: null,
  floorId: null,
  floorNumber: null,
  gatheringId: null,
  tags: [],
};

/**
 * Checks a member in. The member row is locked, so a person's check-ins are decided one at a
 * time: an open check-in elsewhere is closed at the new time first (the partial unique index
 * backs this up), and both facts are stored as events in the same transaction.
 */
export async function checkIn(ctx: WorkspaceContext, input: CheckInInput) {
  const memberId = await actingMemberId(ctx, input.memberId);
  const at = momentOf(input.at);
  const place = await placeOf(ctx, input, at);
  const result = await ctx.scope.transaction(async (scope) => {
    await lockMember(scope, memberId);
    const open = await findOpenCheckIn(scope, memberId);
    const events = [];
    if (open) {
      if (at < open.checked_in_at) {
        throw new PulseError(
          'VALIDATION_FAILED',
          `must not be before the member's open check-in (${iso(open.checked_in_at)})`,
          { field: 'at' },
        );
      }
      await closeCheckIn(scope, open.id, at);
      events.push(checkOutEvent(open, memberId, at, await placeOfRow(scope, open)));
    }
    const id = await insertCheckIn(scope, {
      memberId,
      roomId: place.roomId,
      gatheringId: place.gatheringId,
      at,
    });
    events.push(spaceEvent({ type: 'space.check_in', key: id, at, memberId, place }));
    const stored = await storeSpaceEvents(scope, events);
    const closed = open ? await findCheckIn(scope, open.id) : undefined;
    return { created: await findCheckIn(scope, id), closed, events: stored };
  });
  const created = result.created as CheckInRow;
  await announce(ctx, result.events, [
    ...(result.closed ? [activityOf(result.closed, 'check_out')] : []),
    activityOf(created, 'check_in'),
  ]);
  return {
    checkIn: checkInDto(created),
    closed: result.closed ? checkInDto(result.closed) : null,
  };
}

export async function checkOut(ctx: WorkspaceContext, input: CheckOutInput): Promise<CheckInDto> {
  const memberId = await actingMemberId(ctx, input.memberId);
  const at = momentOf(input.at);
  const result = await ctx.scope.transaction(async (scope) => {
    await lockMember(scope, memberId);
    const open = await findOpenCheckIn(scope, memberId);
    if (!open) {
      throw new PulseError('NOT_FOUND', 'This member is not checked in', { field: 'memberId' });
    }
    if (at < open.checked_in_at) {
      throw new PulseError(
        'VALIDATION_FAILED',
        `must not be before the check-in (${iso(open.checked_in_at)})`,
        {
          field: 'at',
        },
      );
    }
    await closeCheckIn(scope, open.id, at);
    const events = await storeSpaceEvents(scope, [
      checkOutEvent(open, memberId, at, await placeOfRow(scope, open)),
    ]);
    return { closed: (await findCheckIn(scope, open.id)) as CheckInRow, events };
  });
  await announce(ctx, result.events, [activityOf(result.closed, 'check_out')]);
  return checkInDto(result.closed);
}

function momentOf(at: string | undefined): Date {
  const moment = at ? new Date(at) : new Date();
  if (moment.getTime() - Date.now() > MAX_FUTURE_MS) {
    throw new PulseError('VALIDATION_FAILED', 'must not be in the future', { field: 'at' });
  }
  return moment;
}

/** Where the check-in goes: a gathering's room (checked against roomId), a room, or nowhere. */
async function placeOf(ctx: WorkspaceContext, input: CheckInInput, at: Date): Promise<Place> {
  if (input.gatheringId) {
    const gathering = await findGathering(ctx.scope, input.gatheringId);
    if (!gathering) throw notFound('gathering', 'gatheringId');
    if (input.roomId && input.roomId !== gathering.room_id) {
      throw new PulseError('VALIDATION_FAILED', "must be the gathering's room, or left out", {
        field: 'roomId',
      });
    }
    const early = gathering.starts_at.getTime() - EARLY_ARRIVAL_MS;
    if (at.getTime() < early || at > gathering.ends_at) {
      throw new PulseError('VALIDATION_FAILED', 'is not taking check-ins at this time', {
        field: 'gatheringId',
      });
    }
    return gatheringPlace(gathering);
  }
  if (!input.roomId) return NOWHERE;
  const room = await findRoomPlace(ctx.scope, input.roomId);
  if (!room) throw notFound('room', 'roomId');
  return { ...NOWHERE, roomId: room.id, floorId: room.floor_id, floorNumber: room.floor_number };
}

async function placeOfRow(scope: WorkspaceScope, row: CheckInRow): Promise<Place> {
  if (row.gathering_id) {
    const gathering = await findGathering(scope, row.gathering_id);
    if (gathering) return gatheringPlace(gathering);
  }
  if (!row.room_id) return NOWHERE;
  const room = await findRoomPlace(scope, row.room_id);
  return room
    ? { ...NOWHERE, roomId: room.id, floorId: room.floor_id, floorNumber: room.floor_number }
    : NOWHERE;
}

function checkOutEvent(open: CheckInRow, memberId: string, at: Date, place: Place) {
  return spaceEvent({ type: 'space.check_out', key: open.id, at, memberId, place });
}

async function announce(ctx: WorkspaceContext, events: EventDto[], activity: SpaceActivity[]) {
  await afterWrite(ctx, { topics: ['spaces', 'community'], events, activity });
}

function activityOf(row: CheckInRow, kind: 'check_in' | 'check_out'): SpaceActivity {
  const at = kind === 'check_in' ? row.checked_in_at : (row.checked_out_at ?? new Date());
  return {
    kind,
    checkInId: row.id,
    memberId: row.member_id,
    roomId: row.room_id,
    floorId: row.floor_id,
    gatheringId: row.gathering_id,
    at: iso(at),
  };
}

export function checkInDto(row: CheckInRow): CheckInDto {
  return {
    id: row.id,
    memberId: row.member_id,
    roomId: row.room_id,
    floorId: row.floor_id,
    gatheringId: row.gathering_id,
    checkedInAt: iso(row.checked_in_at),
    checkedOutAt: isoOrNull(row.checked_out_at),
  };
}
