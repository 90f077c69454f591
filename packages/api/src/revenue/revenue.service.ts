import type { WorkspaceContext } from '../auth/caller.js';
import { cachedRead } from '../cached-read.js';
import { PulseError } from '../errors.js';
import { SPACES_TOPIC } from '../spaces/floor-pulse.service.js';
import { findBuilding } from '../spaces/presence.queries.js';
import type { RevenueOptimization, RevenueOptimizationInput } from './revenue.contract.js';
import { type Assessment, assessSlot, recommendation, type SlotFacts } from './revenue.pricing.js';
import { buildingRooms, type RevenueRoomRow } from './revenue.queries.js';
import { type SlotRow, slotUsage } from './revenue.slots.queries.js';

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

const HOURS_PER_WEEK = 168;
/** Hour of the week, 0 (Monday 00:00) to 167, from ISO day of week and hour. */
const slotIndex = (dow: number, hour: number) => (dow - 1) * 24 + hour;

/**
 * Larger change first. Changes equal within 1e-9 tie (and go by slot and room): they come from
 * float sums whose order the database does not promise, so equal slots may differ in the last
 * bits from one computation to the next.
 */
const byChange = (a: number, b: number) =>
  Math.abs(b - a) <= 1e-9 * Math.max(1, Math.abs(a)) ? 0 : b - a;

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
  // Per room, its rows by hour of the week (0–167): 640 rooms × 168 hours are visited below,
  // so no string keys.
  const usage = new Map<string, (SlotRow | undefined)[]>();
  const open = new Set<number>();
  for (const row of slots) {
    const hours = usage.get(row.room_id) ?? new Array<SlotRow | undefined>(HOURS_PER_WEEK);
    usage.set(row.room_id, hours);
    hours[slotIndex(row.dow, row.hour)] = row;
    open.add(slotIndex(row.dow, row.hour));
  }
  const openSlots = [...open];
  const usageOf = rooms.map((room) => usage.get(room.id));
  const buildingMean = new Map(
    openSlots.map((slot) => [
      slot,
      usageOf.reduce((sum, hours) => sum + (hours?.[slot]?.used_hours ?? 0) / input.weeks, 0) /
        Math.max(rooms.length, 1),
    ]),
  );

  const found: { room: RevenueRoomRow; facts: SlotFacts; assessment: Assessment }[] = [];
  rooms.forEach((room, r) => {
    for (const slot of openSlots) {
      const row = usageOf[r]?.[slot];
      const facts: SlotFacts = {
        weeks: input.weeks,
        dow: Math.floor(slot / 24) + 1,
        hour: slot % 24,
        usedHours: row?.used_hours ?? 0,
        revenue: row?.revenue ?? 0,
        bookings: row?.bookings ?? 0,
        gatherings: row?.gatherings ?? 0,
        attendanceRate: row?.attendance_rate ?? null,
        bookingHourPrice: row?.booking_hour_price ?? null,
        listPrice: Number(room.hourly_price),
        buildingUtilization: buildingMean.get(slot) ?? 0,
      };
      const assessment = assessSlot(facts);
      if (assessment) found.push({ room, facts, assessment });
    }
  });
  const opportunities = found
    .sort(
      (a, b) =>
        byChange(a.assessment.change, b.assessment.change) ||
        a.facts.dow - b.facts.dow ||
        a.facts.hour - b.facts.hour ||
        (a.room.id < b.room.id ? -1 : 1),
    )
    .slice(0, input.limit)
    .map(({ room, facts, assessment }) => ({
      roomId: room.id,
      roomName: room.name,
      floor: room.floor,
      ...recommendation(facts, assessment),
    }));

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
