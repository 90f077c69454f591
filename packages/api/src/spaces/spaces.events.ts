import type { RsvpStatus, WorkspaceScope } from '@pulse/db';
import type { EventDto } from '../events/events.contract.js';
import { insertEventBatch, type NewEvent } from '../events/events.queries.js';
import type { GatheringRow } from './gatherings.queries.js';

export const SPACE_EVENT_TYPES = ['space.check_in', 'space.check_out', 'space.rsvp'] as const;
export type SpaceEventType = (typeof SPACE_EVENT_TYPES)[number];

/** Where something happened: a room (and its floor), maybe a gathering and its tags. */
export interface Place {
  roomId: string | null;
  floorId: string | null;
  floorNumber: number | null;
  gatheringId: string | null;
  tags: string[];
}

/** Where a gathering happens, as its events record it. */
export function gatheringPlace(gathering: GatheringRow): Place {
  return {
    roomId: gathering.room_id,
    floorId: gathering.floor_id,
    floorNumber: gathering.floor_number,
    gatheringId: gathering.id,
    tags: gathering.tags,
  };
}

export interface SpaceEventFacts {
  type: SpaceEventType;
  /** Stable per fact (a check-in id, an RSVP change), so a retried write stores it once. */
  key: string;
  at: Date;
  memberId: string;
  place: Place;
  status?: RsvpStatus;
}

/**
 * A check-in, check-out or RSVP as a Pulse event, so funnels, retention and every other
 * analytics feature work on the building. The member is the event's user.
 */
export function spaceEvent(facts: SpaceEventFacts): NewEvent {
  const { place } = facts;
  const properties: Record<string, unknown> = {
    memberId: facts.memberId,
    roomId: place.roomId,
    floorId: place.floorId,
    floor: place.floorNumber,
    gatheringId: place.gatheringId,
    tags: place.tags,
    ...(facts.status ? { status: facts.status } : {}),
  };
  return {
    id: `${facts.type}:${facts.key}`,
    type: facts.type,
    timestamp: facts.at,
    userId: facts.memberId,
    anonymousId: null,
    sessionId: null,
    properties,
    propertiesJson: JSON.stringify(properties),
    productId: null,
    price: null,
    quantity: null,
    currency: null,
  };
}

/**
 * Stores the events through the events domain's insert path, on the caller's transaction, and
 * answers them as the live feed carries them (published once the transaction committed).
 */
export async function storeSpaceEvents(
  scope: WorkspaceScope,
  events: NewEvent[],
): Promise<EventDto[]> {
  if (events.length === 0) return [];
  const stored = await insertEventBatch(scope, events, 0);
  const receivedAt = new Map(stored.map((row) => [row.id, row.received_at]));
  return events.flatMap(({ propertiesJson: _json, ...event }) => {
    const received = receivedAt.get(event.id);
    if (!received) return [];
    return [
      {
        ...event,
        timestamp: event.timestamp.toISOString(),
        receivedAt: new Date(received).toISOString(),
      },
    ];
  });
}
