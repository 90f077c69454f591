import type { WorkspaceContext } from '../auth/caller.js';
import { cachedRead } from '../cached-read.js';
import { PulseError } from '../errors.js';
import type {
  FloorPulse,
  FloorPulseInput,
  RoomPulse,
  TrendingTag,
} from './floor-pulse.contract.js';
import { type GatheringRow, type RoomPulseRow, roomPulseRows } from './floor-pulse.queries.js';
import { findFloor, roomsOnFloor, type TagTrendRow, tagTrends } from './presence.queries.js';

export const SPACES_TOPIC = 'spaces';
const PULSE_TTL_SECONDS = 30;
const TRENDING_LIMIT = 10;

/** The floor now; cached 30 s (writes to the building invalidate the `spaces` topic). */
export async function floorPulse(
  ctx: WorkspaceContext,
  input: FloorPulseInput,
): Promise<FloorPulse> {
  return cachedRead(ctx, {
    topic: SPACES_TOPIC,
    parts: ['floorPulse', input.floorId, input.weeks, input.trendHours],
    ttlSeconds: PULSE_TTL_SECONDS,
    compute: () => computeFloorPulse(ctx, input, new Date()),
  });
}

export async function computeFloorPulse(
  ctx: Pick<WorkspaceContext, 'scope'>,
  input: FloorPulseInput,
  at: Date,
): Promise<FloorPulse> {
  const floor = await findFloor(ctx.scope, input.floorId);
  if (!floor) {
    throw new PulseError('NOT_FOUND', 'No floor with this id in your workspace', {
      field: 'floorId',
    });
  }
  const [rows, trends] = await Promise.all([
    roomPulseRows(ctx.scope, roomsOnFloor(ctx.scope, floor.id), at, input.weeks),
    tagTrends(ctx.scope, roomsOnFloor(ctx.scope, floor.id), at, input.trendHours, TRENDING_LIMIT),
  ]);
  const rooms = rows.map((row) => roomPulse(row, input.weeks));
  const sum = (pick: (row: RoomPulseRow) => number) => rows.reduce((n, row) => n + pick(row), 0);
  const attendees = sum((row) => row.present);
  const capacity = sum((row) => row.capacity);
  const recent = sum((row) => row.recent);
  const usual = sum((row) => row.past) / input.weeks;
  return {
    floorId: floor.id,
    floorNumber: floor.number,
    floorName: floor.name,
    at: at.toISOString(),
    rooms,
    totals: {
      rooms: rows.length,
      attendeeCount: attendees,
      capacity,
      utilizationRate: capacity === 0 ? 0 : attendees / capacity,
      liveEvents: rows.filter((row) => row.current).length,
      checkInsLastHour: recent,
      usualCheckInsLastHour: usual,
      activityHeat: activityHeat(recent, usual),
    },
    trendingTags: trends.map(toTrendingTag),
  };
}

/**
 * recent / (recent + usual): 0.5 when the hour is as busy as usual, towards 1 the busier it is
 * (1 when there is activity where there usually is none), 0 without recent activity.
 */
export function activityHeat(recent: number, usual: number): number {
  return recent + usual === 0 ? 0 : recent / (recent + usual);
}

export function toTrendingTag(row: TagTrendRow): TrendingTag {
  return {
    tag: row.tag,
    eventCount: row.current,
    previousCount: row.previous,
    growth: (row.current - row.previous) / Math.max(row.previous, 1),
  };
}

function roomPulse(row: RoomPulseRow, weeks: number): RoomPulse {
  const usual = row.past / weeks;
  return {
    roomId: row.id,
    roomName: row.name,
    kind: row.kind,
    coordinates: { x: row.x, y: row.y, width: row.width, height: row.height },
    event: row.current && gatheringSummary(row.current),
    next: row.next && gatheringSummary(row.next),
    liveMetrics: {
      attendeeCount: row.present,
      capacity: row.capacity,
      utilizationRate: row.present / row.capacity,
      activityHeat: activityHeat(row.recent, usual),
      checkInsLastHour: row.recent,
      usualCheckInsLastHour: usual,
    },
  };
}

function gatheringSummary(row: GatheringRow) {
  return {
    id: row.id,
    title: row.title,
    tags: row.tags,
    attendeeCount: Number(row.attendees),
    startsAt: new Date(row.starts_at).toISOString(),
    endsAt: new Date(row.ends_at).toISOString(),
  };
}
