import type { WorkspaceContext } from '../auth/caller.js';
import { PulseError } from '../errors.js';
import { findGathering, lockGathering } from './gatherings.queries.js';
import type { ListRsvpsInput, RsvpDto, SetRsvpInput } from './rsvps.contract.js';
import { findRsvp, listRsvps, type RsvpRow, upsertRsvp } from './rsvps.queries.js';
import { actingMemberId, notFound } from './spaces.access.js';
import { decodeKeyCursor, keyPage } from './spaces.cursor.js';
import { afterWrite } from './spaces.effects.js';
import { gatheringPlace, spaceEvent, storeSpaceEvents } from './spaces.events.js';
import { iso } from './spaces.fields.js';

/**
 * Sets a member's RSVP. The gathering row is locked for the decision, so two last-place
 * `going` answers at once cannot both fit; a change is also stored as a `space.rsvp` event
 * in the same transaction.
 */
export async function setRsvp(ctx: WorkspaceContext, input: SetRsvpInput) {
  const memberId = await actingMemberId(ctx, input.memberId);
  const at = new Date();
  const outcome = await ctx.scope.transaction(async (scope) => {
    const gathering = await lockGathering(scope, input.gatheringId);
    if (!gathering) throw notFound('gathering', 'gatheringId');
    const previous = await findRsvp(scope, gathering.id, memberId);
    if (previous?.status === input.status) {
      return { gathering, rsvp: previous, changed: false, events: [] };
    }
    const othersGoing = gathering.going - (previous?.status === 'going' ? 1 : 0);
    if (input.status === 'going' && othersGoing >= gathering.capacity) {
      throw new PulseError(
        'CAPACITY_REACHED',
        `This gathering is full (${gathering.capacity} going)`,
        { field: 'status' },
      );
    }
    await upsertRsvp(scope, gathering.id, memberId, input.status, at);
    const events = await storeSpaceEvents(scope, [
      spaceEvent({
        type: 'space.rsvp',
        key: `${gathering.id}:${memberId}:${at.getTime()}`,
        at,
        memberId,
        status: input.status,
        place: gatheringPlace(gathering),
      }),
    ]);
    const rsvp = await findRsvp(scope, gathering.id, memberId);
    return { gathering, rsvp, changed: true, events };
  });
  const { gathering, rsvp, changed, events } = outcome;
  if (!rsvp) throw notFound('gathering', 'gatheringId');
  if (changed) {
    await afterWrite(ctx, {
      topics: ['spaces', 'community'],
      events,
      activity: [
        {
          kind: 'rsvp',
          gatheringId: gathering.id,
          memberId,
          status: rsvp.status,
          roomId: gathering.room_id,
          floorId: gathering.floor_id,
          at: at.toISOString(),
        },
      ],
    });
  }
  const after = changed ? await findGathering(ctx.scope, gathering.id) : gathering;
  return {
    rsvp: rsvpDto(rsvp),
    changed,
    going: after?.going ?? gathering.going,
    capacity: gathering.capacity,
  };
}

export async function listGatheringRsvps(ctx: WorkspaceContext, input: ListRsvpsInput) {
  if (!(await findGathering(ctx.scope, input.gatheringId))) {
    throw notFound('gathering', 'gatheringId');
  }
  const rows = await listRsvps(
    ctx.scope,
    { gatheringId: input.gatheringId, status: input.status },
    { limit: input.limit, after: decodeKeyCursor(input.cursor, 'time') },
  );
  return keyPage(rows, input.limit, rsvpDto, (row) => ({
    key: iso(row.created_at),
    id: row.member_id,
  }));
}

function rsvpDto(row: RsvpRow): RsvpDto {
  return {
    gatheringId: row.gathering_id,
    memberId: row.member_id,
    memberName: row.member_name,
    status: row.status,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
