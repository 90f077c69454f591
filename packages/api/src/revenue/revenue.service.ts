import type { WorkspaceContext } from '../auth/caller.js';
import { cachedRead } from '../cached-read.js';
import { PulseError } from '../errors.js';
import { SPACES_TOPIC } from '../spaces/floor-pulse.service.js';
import { findBuilding } from '../spaces/presence.queries.js';
import type { RevenueOptimization, RevenueOptimizationInput } from './revenue.contract.js';
import { pricingOpportunity, type SlotFacts } from './revenue.pricing.js';
import { buildingRooms, type SlotRow, slotUsage } from './revenue.queries.js';

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

const slotKey = (dow: number, hour: number) => `${dow}:${hour}`;

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
  const byRoomSlot = new Map(
    slots.map((row) => [`${row.room_id}|${slotKey(row.dow, row.hour)}`, row]),
  );
  const openSlots = [...new Set(slots.map((row) => slotKey(row.dow, row.hour)))];
  const utilization = (row: SlotRow | undefined) => (row ? row.used_hours / input.weeks : 0);
  const buildingMean = new Map(
    openSlots.map((slot) => [
      slot,
      rooms.reduce((sum, room) => sum + utilization(byRoomSlot.get(`${room.id}|${slot}`)), 0) /
        Math.max(rooms.length, 1),
    ]),
  );

  const opportunities = rooms
    .flatMap((room) =>
      openSlots.map((slot) => {
        const [dow, hour] = slot.split(':').map(Number) as [number, number];
        const row = byRoomSlot.get(`${room.id}|${slot}`);
        const facts: SlotFacts = {
          weeks: input.weeks,
          dow,
          hour,
          usedHours: row?.used_hours ?? 0,
          revenue: row?.revenue ?? 0,
          bookings: row?.bookings ?? 0,
          gatherings: row?.gatherings ?? 0,
          attendanceRate: row?.attendance_rate ?? null,
          bookingHourPrice: row?.booking_hour_price ?? null,
          listPrice: Number(room.hourly_price),
          buildingUtilization: buildingMean.get(slot) ?? 0,
        };
        const found = pricingOpportunity(facts);
        return found && { roomId: room.id, roomName: room.name, floor: room.floor, ...found };
      }),
    )
    .filter((found) => found !== null)
    .sort(
      (a, b) =>
        b.projectedRevenue - a.projectedRevenue ||
        a.dayOfWeek - b.dayOfWeek ||
        a.hour - b.hour ||
        (a.roomId < b.roomId ? -1 : 1),
    )
    .slice(0, input.limit);

  const floors = new Map<string, { floor: number; used: number; rooms: number; revenue: number }>();
  for (const room of rooms) {
    const floor = floors.get(room.floor_id) ?? { floor: room.floor, used: 0, rooms: 0, revenue: 0 };
    floor.rooms += 1;
    floors.set(room.floor_id, floor);
  }
  const roomFloor = new Map(rooms.map((room) => [room.id, room.floor_id]));
  for (const row of slots) {
    const floor = floors.get(roomFloor.get(row.room_id) ?? '');
    if (!floor) continue;
    floor.used += row.used_hours;
    floor.revenue += row.revenue;
  }
  const totalRevenue = [...floors.values()].reduce((sum, floor) => sum + floor.revenue, 0);
  return {
    at: at.toISOString(),
    buildingId: building.id,
    weeks: input.weeks,
    opportunities,
    floorUtilization: [...floors]
      .map(([floorId, floor]) => {
        const available = floor.rooms * openSlots.length * input.weeks;
        return {
          floor: floor.floor,
          floorId,
          utilizationRate: available === 0 ? 0 : floor.used / available,
          revenue: floor.revenue,
          revenueContribution: totalRevenue === 0 ? 0 : floor.revenue / totalRevenue,
        };
      })
      .sort((a, b) => a.floor - b.floor),
    openHoursPerWeek: openSlots.length,
  };
}
