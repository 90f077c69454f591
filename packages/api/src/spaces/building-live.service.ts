import type { WorkspaceContext } from '../auth/caller.js';
import { cachedRead } from '../cached-read.js';
import { PulseError } from '../errors.js';
import {
  type BuildingLive,
  type BuildingLiveInput,
  CHECK_IN_RATE_MINUTES,
} from './building-live.contract.js';
import { floorActivityRows, towerFigures } from './building-live.queries.js';
import { SPACES_TOPIC, toTrendingTag } from './floor-pulse.service.js';
import { findBuilding, roomsOf, tagTrends } from './presence.queries.js';

const LIVE_TTL_SECONDS = 15;
const TRENDING_LIMIT = 10;

export async function buildingLive(
  ctx: WorkspaceContext,
  input: BuildingLiveInput,
): Promise<BuildingLive> {
  return cachedRead(ctx, {
    topic: SPACES_TOPIC,
    parts: ['live', input.buildingId ?? null, input.trendHours],
    ttlSeconds: LIVE_TTL_SECONDS,
    compute: () => computeBuildingLive(ctx, input, new Date()),
  });
}

export async function computeBuildingLive(
  ctx: Pick<WorkspaceContext, 'scope'>,
  input: BuildingLiveInput,
  at: Date,
): Promise<BuildingLive> {
  const building = await findBuilding(ctx.scope, input.buildingId);
  if (input.buildingId && !building) {
    throw new PulseError('NOT_FOUND', 'No building with this id in your workspace', {
      field: 'buildingId',
    });
  }
  const buildingId = input.buildingId ?? null;
  const timezone = building?.timezone ?? 'UTC';
  const [tower, floors, trends] = await Promise.all([
    towerFigures(ctx.scope, buildingId, timezone, at),
    floorActivityRows(ctx.scope, buildingId, at),
    tagTrends(ctx.scope, roomsOf(ctx.scope, buildingId), at, input.trendHours, TRENDING_LIMIT),
  ]);
  const floorActivity = floors
    .map((floor) => ({
      floor: floor.number,
      floorId: floor.id,
      name: floor.name,
      activityScore: floor.capacity === 0 ? 0 : floor.present / floor.capacity,
      attendeeCount: floor.present,
      currentEvents: floor.current_events,
    }))
    .sort(
      (a, b) =>
        b.activityScore - a.activityScore || b.currentEvents - a.currentEvents || a.floor - b.floor,
    );
  return {
    at: at.toISOString(),
    buildingId,
    tower: {
      activeMembers: tower.active_members,
      liveEvents: tower.live_events,
      collaborationScore:
        tower.active_members === 0 ? 0 : tower.collaborating / tower.active_members,
      revenueToday: Number(tower.revenue_today),
      checkInsPerMinute: tower.recent_check_ins / CHECK_IN_RATE_MINUTES,
    },
    trendingTopics: trends.map((row) => {
      const { tag, ...figures } = toTrendingTag(row);
      return { topic: tag, ...figures };
    }),
    floorActivity,
  };
}
