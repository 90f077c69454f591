import { scopeTo, type WorkspaceScope } from '@pulse/db';
import { describe, expect, it } from 'vitest';
import { newWorkspace, useTestDatabase } from '../history/database.test-suite.js';
import { slotUsage } from './revenue.slots.queries.js';
import {
  insertRow,
  insertRows,
  recountedUsage,
  rounded,
  slotUsageByExpansion,
  storedUsage,
  withinFloatNoise,
} from './revenue.test-suite.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

async function expectUsageRecounted(scope: WorkspaceScope, minimumRows = 1) {
  const [stored, recounted] = [await storedUsage(scope), await recountedUsage(scope)];
  expect(withinFloatNoise(stored, recounted)).toEqual(recounted);
  expect(stored.length).toBeGreaterThanOrEqual(minimumRows);
}

async function going(scope: WorkspaceScope, gatheringId: string, memberIds: string[]) {
  await scope
    .insertInto(
      'rsvps',
      memberIds.map((memberId) => ({
        gathering_id: gatheringId,
        member_id: memberId,
        status: 'going' as const,
      })),
    )
    .execute();
}

async function tower(scope: WorkspaceScope, rooms: { name: string; capacity: number }[]) {
  const buildingId = await insertRow(scope, 'buildings', { name: 'Tower' });
  const floorId = await insertRow(scope, 'floors', {
    building_id: buildingId,
    number: 1,
    name: 'One',
  });
  const roomIds = await insertRows(
    scope,
    'rooms',
    rooms.map((room) => ({ ...room, floor_id: floorId, kind: 'meeting', hourly_price: 30 })),
  );
  const memberIds = await insertRows(
    scope,
    'members',
    ['a', 'b', 'c', 'd'].map((name) => ({ name })),
  );
  return { buildingId, floorId, roomIds, memberIds };
}

describe('room hour usage kept by the database', () => {
  const database = useTestDatabase('revenue');

  it('equals a recount through inserts, updates, moves, cancellations, deletes and cascades', async () => {
    const s = scopeTo(database().db, await newWorkspace(database()));
    const { floorId, roomIds, memberIds } = await tower(s, [
      { name: 'Hall', capacity: 10 },
      { name: 'Nook', capacity: 4 },
    ]);
    const [hall, nook] = roomIds as [string, string];
    const [a, b, c] = memberIds as [string, string, string];
    const t0 = Date.UTC(2026, 5, 1, 9);
    const at = (ms: number) => new Date(t0 + ms);

    const b1 = await insertRow(s, 'room_bookings', {
      room_id: hall,
      starts_at: at(30 * MINUTE),
      ends_at: at(3 * HOUR),
      price_paid: 90,
    });
    const b2 = await insertRow(s, 'room_bookings', {
      room_id: hall,
      starts_at: at(2 * HOUR),
      ends_at: at(5 * DAY),
      price_paid: 900,
    });
    await insertRow(s, 'room_bookings', {
      room_id: nook,
      starts_at: at(HOUR),
      ends_at: at(2 * HOUR),
      price_paid: 40,
      cancelled_at: at(0),
    });
    const g1 = await insertRow(s, 'gatherings', {
      room_id: nook,
      title: 'Talk',
      starts_at: at(HOUR),
      ends_at: at(3 * HOUR),
      price: 12,
      tags: [],
    });
    const g2 = await insertRow(s, 'gatherings', {
      room_id: hall,
      title: 'Dinner',
      starts_at: at(2 * HOUR + 15 * MINUTE),
      ends_at: at(4 * HOUR),
      price: 30,
      capacity: 5,
      tags: [],
    });
    // b2 (five days) is longer than the table keeps: only b1, g1 and g2 are counted.
    await expectUsageRecounted(s, 5);

    // Attendance (going RSVPs ∪ check-ins) changes the gatherings' revenue and rates.
    await going(s, g1, [a, b]);
    await s
      .insertInto('check_ins', {
        member_id: c,
        room_id: nook,
        gathering_id: g1,
        checked_in_at: at(HOUR),
      })
      .execute();
    await expectUsageRecounted(s);

    // The room's capacity is the rate's denominator of g1 (no capacity of its own).
    await s.updateTable('rooms').set({ capacity: 8 }).where('id', '=', nook).execute();
    await expectUsageRecounted(s);

    // A gathering moved to another room and hour; bookings cancelled, repriced, shortened.
    await s
      .updateTable('gatherings')
      .set({ room_id: hall, starts_at: at(5 * HOUR), ends_at: at(6 * HOUR + 30 * MINUTE) })
      .where('id', '=', g1)
      .execute();
    await s
      .updateTable('room_bookings')
      .set({ cancelled_at: at(0) })
      .where('id', '=', b1)
      .execute();
    await s
      .updateTable('room_bookings')
      .set({ ends_at: at(40 * HOUR), price_paid: 300 })
      .where('id', '=', b2)
      .execute();
    await s
      .updateTable('gatherings')
      .set({ capacity: 3, price: 14 })
      .where('id', '=', g2)
      .execute();
    await expectUsageRecounted(s);

    // Statements writing many rows at once, as bulk loads do.
    await insertRows(
      s,
      'room_bookings',
      Array.from({ length: 40 }, (_, i) => ({
        room_id: i % 2 ? hall : nook,
        starts_at: at(i * 37 * MINUTE),
        ends_at: at(i * 37 * MINUTE + ((i % 7) + 1) * 25 * MINUTE),
        price_paid: 10 + i,
      })),
    );
    await s
      .updateTable('room_bookings')
      .set({ price_paid: 5 })
      .where('room_id', '=', nook)
      .execute();
    await expectUsageRecounted(s);

    // Deletes and cascades: a booking, a member (their RSVP goes), a gathering, a room, a floor.
    await s.deleteFrom('room_bookings').where('id', '=', b2).execute();
    await s.deleteFrom('members').where('id', '=', a).execute();
    await expectUsageRecounted(s);
    await s.deleteFrom('gatherings').where('id', '=', g2).execute();
    await expectUsageRecounted(s);
    await s.deleteFrom('rooms').where('id', '=', hall).execute();
    await expectUsageRecounted(s);
    await s.deleteFrom('floors').where('id', '=', floorId).execute();
    expect(await storedUsage(s)).toEqual([]);
  });

  // PGlite has one connection: only PostgreSQL runs writers side by side.
  it.skipIf(!process.env.DATABASE_URL)(
    'counts two concurrent writers to one room and hour both',
    async () => {
      const workspaceId = await newWorkspace(database());
      const s = scopeTo(database().db, workspaceId);
      const { roomIds } = await tower(s, [{ name: 'Hall', capacity: 10 }]);
      const hour = Date.UTC(2026, 5, 1, 9);
      const bookingIn = (trx: typeof s, price: number) =>
        insertRow(trx, 'room_bookings', {
          room_id: roomIds[0] as string,
          starts_at: new Date(hour),
          ends_at: new Date(hour + HOUR),
          price_paid: price,
        });
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let firstWritten = () => {};
      const written = new Promise<void>((resolve) => {
        firstWritten = resolve;
      });
      const first = database()
        .db.transaction()
        .execute(async (trx) => {
          await bookingIn(scopeTo(trx, workspaceId), 10);
          firstWritten();
          await held;
        });
      await written;
      // The second counts while the first is uncommitted: it waits for the room, then sees it.
      const second = database()
        .db.transaction()
        .execute((trx) => bookingIn(scopeTo(trx, workspaceId), 20));
      await new Promise((resolve) => setTimeout(resolve, 200));
      release();
      await Promise.all([first, second]);
      await expectUsageRecounted(s);
      expect(await storedUsage(s)).toMatchObject([{ bookings: 2, booking_revenue: 30 }]);
    },
  );

  it('answers the revenue slots as the hour-by-hour expansion does, in any time zone', async () => {
    const s = scopeTo(database().db, await newWorkspace(database()));
    const { buildingId, roomIds, memberIds } = await tower(s, [
      { name: 'R0', capacity: 4 },
      { name: 'R1', capacity: 10 },
      { name: 'R2', capacity: 25 },
    ]);
    // Offset changes in 2026: Berlin and New York DST, Lord Howe's half-hour DST ending.
    const switches = [
      Date.UTC(2026, 2, 29, 1),
      Date.UTC(2026, 9, 25, 1),
      Date.UTC(2026, 2, 8, 7),
      Date.UTC(2026, 10, 1, 6),
      Date.UTC(2026, 3, 4, 15),
    ];
    // Intervals starting and ending on, just before and just after each switch, from ten
    // minutes to 200 hours long (longer than the table keeps).
    const startHours = [-50, -26, -3, -2, -1.5, -1, -0.75, -0.5, -1 / 6, 0, 1 / 6, 0.5, 1, 2];
    const lengthHours = [1 / 6, 5 / 6, 1, 1.5, 2, 3, 25, 47.5, 48, 49, 100, 200];
    const intervals = switches.flatMap((at) =>
      startHours.flatMap((start) =>
        lengthHours.map((length) => ({
          starts_at: new Date(at + start * HOUR),
          ends_at: new Date(at + (start + length) * HOUR),
        })),
      ),
    );
    await insertRows(
      s,
      'room_bookings',
      intervals
        .filter((_, i) => i % 2)
        .map((interval, i) => ({
          ...interval,
          room_id: roomIds[i % 3] as string,
          price_paid: 7 * (i % 13),
          cancelled_at: i % 11 ? null : interval.starts_at,
        })),
    );
    const gatheringIds = await insertRows(
      s,
      'gatherings',
      intervals
        .filter((_, i) => i % 2 === 0)
        .map((interval, i) => ({
          ...interval,
          room_id: roomIds[(i + 1) % 3] as string,
          title: `G${i}`,
          price: i % 5,
          capacity: i % 4 ? null : 3,
          tags: [],
        })),
    );
    for (const [i, id] of gatheringIds.entries()) {
      if (i % 3) await going(s, id, memberIds.slice(0, (i % 4) + 1));
    }
    await expectUsageRecounted(s, 100);

    const key = (row: { room_id: string; dow: number; hour: number }) =>
      `${row.room_id} ${row.dow} ${String(row.hour).padStart(2, '0')}`;
    const sorted = <T extends { room_id: string; dow: number; hour: number }>(rows: T[]) =>
      [...rows].sort((x, y) => (key(x) < key(y) ? -1 : 1)).map(rounded);
    const zones = [
      'UTC',
      'Europe/Berlin',
      'America/New_York',
      'Asia/Kolkata',
      'America/St_Johns',
      'Australia/Lord_Howe',
    ];
    // Windows ending before, on and after each switch, and starting just after one.
    const ends = switches.flatMap((at) => [-30, 0, 3, 170].map((h) => at + h * HOUR));
    for (const timezone of zones) {
      const building = { id: buildingId, timezone };
      for (const end of ends) {
        for (const weeks of end === ends[0] ? [1, 2] : [1]) {
          const [from, to] = [new Date(end - weeks * WEEK), new Date(end)];
          const expected = sorted(await slotUsageByExpansion(s, building, from, to));
          const actual = sorted(await slotUsage(s, building, from, to));
          expect({
            timezone,
            to: to.toISOString(),
            weeks,
            rows: withinFloatNoise(actual, expected),
          }).toEqual({
            timezone,
            to: to.toISOString(),
            weeks,
            rows: expected,
          });
        }
      }
    }
  }, 180_000);
});
