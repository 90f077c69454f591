import type { WorkspaceScope } from '@pulse/db';
import { roomPulseRows } from '../spaces/floor-pulse.queries.js';
import { activityHeat } from '../spaces/floor-pulse.service.js';
import { roomsOf } from '../spaces/presence.queries.js';
import type { TowerLocalMessage } from './live.tower.contract.js';

type RoomActivity = Extract<TowerLocalMessage, { type: 'room_activity' }>;
type GatheringStarted = Extract<TowerLocalMessage, { type: 'gathering_started' }>;

/** Every room's activity and the gatherings running, at one instant. */
export interface TowerState {
  rooms: RoomActivity[];
  running: GatheringStarted[];
}

const HISTORY_WEEKS = 4;

export async function computeTowerState(scope: WorkspaceScope, at: Date): Promise<TowerState> {
  const rows = await roomPulseRows(scope, roomsOf(scope, null), at, HISTORY_WEEKS, false);
  return {
    rooms: rows.map((row) => ({
      kind: 'tower',
      type: 'room_activity',
      roomId: row.id,
      floorId: row.floor_id,
      activityLevel: activityHeat(row.recent, row.past / HISTORY_WEEKS),
      attendeeCount: row.present,
      capacity: row.capacity,
    })),
    running: rows.flatMap((row) =>
      row.current
        ? [
            {
              kind: 'tower' as const,
              type: 'gathering_started' as const,
              gatheringId: row.current.id,
              roomId: row.id,
              floorId: row.floor_id,
              title: row.current.title,
              tags: row.current.tags,
              startsAt: new Date(row.current.starts_at).toISOString(),
              endsAt: new Date(row.current.ends_at).toISOString(),
            },
          ]
        : [],
    ),
  };
}

/**
 * What a subscriber that last saw `before` needs to hear about `after`: rooms whose activity
 * or occupancy changed, and gatherings that are running now and were not before. Against no
 * previous state, every room and every running gathering.
 */
export function towerChanges(
  before: TowerState | undefined,
  after: TowerState,
): TowerLocalMessage[] {
  const seenRooms = new Map(before?.rooms.map((room) => [room.roomId, room]));
  const seenRunning = new Set(before?.running.map((gathering) => gathering.gatheringId));
  const rooms = after.rooms.filter((room) => {
    const previous = seenRooms.get(room.roomId);
    return (
      !previous ||
      previous.activityLevel !== room.activityLevel ||
      previous.attendeeCount !== room.attendeeCount
    );
  });
  const started = after.running.filter((gathering) => !seenRunning.has(gathering.gatheringId));
  return [...started, ...rooms];
}
