import { type Assessment, assessSlot, type SlotFacts } from './revenue.pricing.js';
import type { RevenueRoomRow } from './revenue.queries.js';
import type { SlotRow } from './revenue.slots.queries.js';

export const HOURS_PER_WEEK = 168;
/** Hour of the week, 0 (Monday 00:00) to 167, from ISO day of week and hour. */
const slotIndex = (dow: number, hour: number) => (dow - 1) * 24 + hour;
const orNull = (value: number) => (Number.isNaN(value) ? null : value);

/**
 * The slot rows laid out as room × hour of the week: cell `room * 168 + slot`, rooms in the
 * order given, NaN for a missing rate. The large building has 107,520 cells, all visited on
 * every computation, hence typed arrays and no per-cell objects.
 */
export interface WeekOfUsage {
  rooms: readonly RevenueRoomRow[];
  weeks: number;
  /** The hours of the week in which any room was used at all, ascending. */
  openSlots: number[];
  usedHours: Float64Array;
  revenue: Float64Array;
  bookings: Float64Array;
  gatherings: Float64Array;
  attendanceRate: Float64Array;
  bookingHourPrice: Float64Array;
  /** Mean utilization of all the rooms at each hour of the week. */
  buildingUtilization: Float64Array;
  listPrice: Float64Array;
  roomUsedHours: Float64Array;
  roomRevenue: Float64Array;
}

export function weekOfUsage(
  rooms: readonly RevenueRoomRow[],
  slots: readonly SlotRow[],
  weeks: number,
): WeekOfUsage {
  const cells = rooms.length * HOURS_PER_WEEK;
  const week: WeekOfUsage = {
    rooms,
    weeks,
    openSlots: [],
    usedHours: new Float64Array(cells),
    revenue: new Float64Array(cells),
    bookings: new Float64Array(cells),
    gatherings: new Float64Array(cells),
    attendanceRate: new Float64Array(cells).fill(Number.NaN),
    bookingHourPrice: new Float64Array(cells).fill(Number.NaN),
    buildingUtilization: new Float64Array(HOURS_PER_WEEK),
    listPrice: Float64Array.from(rooms, (room) => Number(room.hourly_price)),
    roomUsedHours: new Float64Array(rooms.length),
    roomRevenue: new Float64Array(rooms.length),
  };
  const open = new Uint8Array(HOURS_PER_WEEK);
  const roomIndex = new Map(rooms.map((room, r) => [room.id, r]));
  for (const row of slots) {
    const slot = slotIndex(row.dow, row.hour);
    open[slot] = 1;
    const r = roomIndex.get(row.room_id);
    if (r === undefined) continue;
    const cell = r * HOURS_PER_WEEK + slot;
    week.usedHours[cell] = row.used_hours;
    week.revenue[cell] = row.revenue;
    week.bookings[cell] = row.bookings;
    week.gatherings[cell] = row.gatherings;
    week.attendanceRate[cell] = row.attendance_rate ?? Number.NaN;
    week.bookingHourPrice[cell] = row.booking_hour_price ?? Number.NaN;
    week.roomUsedHours[r] = week.roomUsedHours[r]! + row.used_hours;
    week.roomRevenue[r] = week.roomRevenue[r]! + row.revenue;
  }
  for (let slot = 0; slot < HOURS_PER_WEEK; slot += 1) {
    if (!open[slot]) continue;
    week.openSlots.push(slot);
    let sum = 0;
    for (let r = 0; r < rooms.length; r += 1)
      sum += week.usedHours[r * HOURS_PER_WEEK + slot]! / weeks;
    week.buildingUtilization[slot] = sum / Math.max(rooms.length, 1);
  }
  return week;
}

/** Writes what was observed in room `r` at hour of the week `slot` into `facts`. */
function observe(week: WeekOfUsage, r: number, slot: number, facts: SlotFacts): SlotFacts {
  const cell = r * HOURS_PER_WEEK + slot;
  facts.weeks = week.weeks;
  facts.dow = Math.floor(slot / 24) + 1;
  facts.hour = slot % 24;
  facts.usedHours = week.usedHours[cell]!;
  facts.revenue = week.revenue[cell]!;
  facts.bookings = week.bookings[cell]!;
  facts.gatherings = week.gatherings[cell]!;
  facts.attendanceRate = orNull(week.attendanceRate[cell]!);
  facts.bookingHourPrice = orNull(week.bookingHourPrice[cell]!);
  facts.listPrice = week.listPrice[r]!;
  facts.buildingUtilization = week.buildingUtilization[slot]!;
  return facts;
}

const blankFacts = (): SlotFacts => ({
  weeks: 0,
  dow: 0,
  hour: 0,
  usedHours: 0,
  revenue: 0,
  bookings: 0,
  gatherings: 0,
  attendanceRate: null,
  bookingHourPrice: null,
  listPrice: 0,
  buildingUtilization: 0,
});

/**
 * Larger change first. Changes equal within 1e-9 tie (and go by slot and room): they come from
 * float sums whose order the database does not promise, so equal slots may differ in the last
 * bits from one computation to the next.
 */
const TIE = 1e-9;
const byChange = (a: number, b: number) =>
  Math.abs(b - a) <= TIE * Math.max(1, Math.abs(a)) ? 0 : b - a;

export interface Opportunity {
  room: RevenueRoomRow;
  facts: SlotFacts;
  assessment: Assessment;
}

/** Larger change first, then by hour of the week and room id. */
export const inOpportunityOrder = (a: Opportunity, b: Opportunity) =>
  byChange(a.assessment.change, b.assessment.change) ||
  a.facts.dow - b.facts.dow ||
  a.facts.hour - b.facts.hour ||
  (a.room.id < b.room.id ? -1 : 1);

/**
 * The `limit` best recommendations of the week: larger expected change first, then by hour of
 * the week and room id. Tens of thousands of slots may qualify on a large building; only those
 * whose change reaches the `limit`-th largest (within the tie margin) are ordered and worded.
 */
export function bestOpportunities(week: WeekOfUsage, limit: number): Opportunity[] {
  const found: { r: number; slot: number; assessment: Assessment }[] = [];
  const facts = blankFacts();
  for (let r = 0; r < week.rooms.length; r += 1) {
    for (const slot of week.openSlots) {
      const assessment = assessSlot(observe(week, r, slot, facts));
      if (assessment) found.push({ r, slot, assessment });
    }
  }
  const contenders = found.length > limit ? reachingTheLimit(found, limit) : found;
  return contenders
    .map(({ r, slot, assessment }) => ({
      room: week.rooms[r]!,
      facts: observe(week, r, slot, blankFacts()),
      assessment,
    }))
    .sort(inOpportunityOrder)
    .slice(0, limit);
}

/**
 * Those whose change is at least the `limit`-th largest, less twice the tie margin (a change
 * that ties with one just above the threshold is within two margins of it).
 */
function reachingTheLimit<T extends { assessment: Assessment }>(found: T[], limit: number): T[] {
  const changes = new Float64Array(found.length);
  for (let i = 0; i < found.length; i += 1) changes[i] = found[i]!.assessment.change;
  changes.sort();
  const threshold = changes[changes.length - limit]!;
  const floor = threshold - 2 * TIE * Math.max(1, Math.abs(threshold));
  return found.filter((item) => item.assessment.change >= floor);
}
