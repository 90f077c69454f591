import { describe, expect, it } from 'vitest';
import { assessSlot } from './revenue.pricing.js';
import type { RevenueRoomRow } from './revenue.queries.js';
import type { SlotRow } from './revenue.slots.queries.js';
import {
  bestOpportunities,
  HOURS_PER_WEEK,
  inOpportunityOrder,
  weekOfUsage,
} from './revenue.week.js';

/** A deterministic building: rooms with prices, and usage rows with many equal changes. */
function building(seed: number) {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const rooms: RevenueRoomRow[] = Array.from({ length: 12 }, (_, i) => ({
    id: `00000000-0000-0000-0000-${String(1000 + ((i * 7) % 12)).padStart(12, '0')}`,
    name: `Room ${i}`,
    floor_id: `floor-${i % 3}`,
    floor: i % 3,
    capacity: 10,
    hourly_price: String([20, 20, 35, 50][i % 4]),
  }));
  const slots: SlotRow[] = [];
  for (const room of rooms) {
    for (let slot = 0; slot < HOURS_PER_WEEK; slot += 1) {
      if (random() < 0.4) continue;
      const used = 1 + Math.floor(random() * 4);
      slots.push({
        room_id: room.id,
        dow: Math.floor(slot / 24) + 1,
        hour: slot % 24,
        used_hours: used,
        revenue: used * [0, 20, 40][Math.floor(random() * 3)]!,
        bookings: used,
        gatherings: 0,
        attendance_rate: random() < 0.3 ? Math.round(random() * 10) / 10 : null,
        booking_hour_price: 20,
      });
    }
  }
  return { rooms, slots };
}

describe('bestOpportunities', () => {
  it('picks what ordering every qualifying slot would, for any limit', () => {
    for (const seed of [1, 2, 3]) {
      const { rooms, slots } = building(seed);
      const week = weekOfUsage(rooms, slots, 4);
      // The reference: assess every room × open hour, order them all, take the first ones.
      const all = rooms.flatMap((room, r) =>
        week.openSlots.flatMap((slot) => {
          const facts = bestFactsOf(week, r, slot);
          const assessment = assessSlot(facts);
          return assessment ? [{ room, facts, assessment }] : [];
        }),
      );
      const key = (o: { room: RevenueRoomRow; facts: { dow: number; hour: number } }) =>
        `${o.room.id} ${o.facts.dow} ${o.facts.hour}`;
      all.sort(inOpportunityOrder);
      expect(all.length).toBeGreaterThan(100);
      for (const limit of [1, 5, 37, 100, all.length, all.length + 10]) {
        const chosen = bestOpportunities(week, limit);
        expect(chosen.map(key)).toEqual(all.slice(0, limit).map(key));
      }
    }
  });

  it('lays rows out by room and hour of the week, with each floor total', () => {
    const { rooms, slots } = building(4);
    const week = weekOfUsage(rooms, slots, 4);
    const row = slots[17]!;
    const r = rooms.findIndex((room) => room.id === row.room_id);
    const cell = r * HOURS_PER_WEEK + (row.dow - 1) * 24 + row.hour;
    expect(week.usedHours[cell]).toBe(row.used_hours);
    expect(week.revenue[cell]).toBe(row.revenue);
    const roomRows = slots.filter((slot) => slot.room_id === row.room_id);
    expect(week.roomUsedHours[r]).toBe(roomRows.reduce((sum, slot) => sum + slot.used_hours, 0));
  });
});

function bestFactsOf(week: ReturnType<typeof weekOfUsage>, r: number, slot: number) {
  const cell = r * HOURS_PER_WEEK + slot;
  const rate = week.attendanceRate[cell]!;
  const price = week.bookingHourPrice[cell]!;
  return {
    weeks: week.weeks,
    dow: Math.floor(slot / 24) + 1,
    hour: slot % 24,
    usedHours: week.usedHours[cell]!,
    revenue: week.revenue[cell]!,
    bookings: week.bookings[cell]!,
    gatherings: week.gatherings[cell]!,
    attendanceRate: Number.isNaN(rate) ? null : rate,
    bookingHourPrice: Number.isNaN(price) ? null : price,
    listPrice: week.listPrice[r]!,
    buildingUtilization: week.buildingUtilization[slot]!,
  };
}
