import type { WorkspaceContext } from '../auth/caller.js';
import { cachedRead } from '../cached-read.js';
import { PulseError } from '../errors.js';
import { SPACES_TOPIC } from '../spaces/floor-pulse.service.js';
import { findBuilding } from '../spaces/presence.queries.js';
import type { RevenueOptimization, RevenueOptimizationInput } from './revenue.contract.js';
import { recommendation } from './revenue.pricing.js';
import { buildingRooms } from './revenue.queries.js';
import { slotUsage } from './revenue.slots.queries.js';
import { bestOpportunities, weekOfUsage } from './revenue.week.js';

const REVENUE_TTL_SECONDS = 60;
const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

export async function revenueOptimization(
  ctx: WorkspaceContext,
  input: RevenueOptimizationInput,
): Promise<RevenueOptimization> {
  return cachedRead(ctx, {
    topic: SPACES_TOPIC,
    parts: ['revenue', input.buildingId ?? null, input.weeks, input.limit],
    ttlSeconds: REVENUE_TTL_SECONDS,
    compute: () => computeRevenueOptimization(ctx, input, new Date()),
  });
}

export async function computeRevenueOptimization(
  ctx: Pick<WorkspaceContext, 'scope'>,
  input: RevenueOptimizationInput,
  at: Date,
): Promise<RevenueOptimization> {
  const building = await findBuilding(ctx.scope, input.buildingId);
  if (!building) {
    const message = input.buildingId
      ? 'No building with this id in your workspace'
      : 'Your workspace has no building yet';
    throw new PulseError('NOT_FOUND', message, { field: 'buildingId' });
  }
  // Whole hours, so each hour of the week occurs exactly `weeks` times in the window.
  const to = new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
  const from = new Date(to.getTime() - input.weeks * WEEK_MS);
  const [rooms, slots] = await Promise.all([
    buildingRooms(ctx.scope, building.id),
    slotUsage(ctx.scope, building, from, to),
  ]);
  const week = weekOfUsage(rooms, slots, input.weeks);
  const opportunities = bestOpportunities(week, input.limit).map(({ room, facts, assessment }) => ({
    roomId: room.id,
    roomName: room.name,
    floor: room.floor,
    ...recommendation(facts, assessment),
  }));

  const floors = new Map<string, { floor: number; used: number; rooms: number; revenue: number }>();
  rooms.forEach((room, r) => {
    const floor = floors.get(room.floor_id) ?? { floor: room.floor, used: 0, rooms: 0, revenue: 0 };
    floor.rooms += 1;
    floor.used += week.roomUsedHours[r]!;
    floor.revenue += week.roomRevenue[r]!;
    floors.set(room.floor_id, floor);
  });
  const totalRevenue = [...floors.values()].reduce((sum, floor) => sum + floor.revenue, 0);
  return {
    at: at.toISOString(),
    buildingId: building.id,
    weeks: input.weeks,
    opportunities,
    floorUtilization: [...floors]
      .map(([floorId, floor]) => {
        const available = floor.rooms * week.openSlots.length * input.weeks;
        return {
          floor: floor.floor,
          floorId,
          utilizationRate: available === 0 ? 0 : floor.used / available,
          revenue: floor.revenue,
          revenueContribution: totalRevenue === 0 ? 0 : floor.revenue / totalRevenue,
        };
      })
      .sort((a, b) => a.floor - b.floor),
    openHoursPerWeek: week.openSlots.length,
  };
}
