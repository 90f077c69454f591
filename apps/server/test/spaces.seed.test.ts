import { describe, expect, it } from 'vitest';
import { DEMO_OWNER, seedDemo } from '../src/demo-seed.js';
import { seedSpaces } from '../src/spaces-seed.js';
import { type Account, registerOwner } from './accounts.js';
import { type TestServer, useTestServer } from './harness.js';
import { call, HOUR, iso, ok } from './spaces.support.js';

// A Wednesday evening: the calendar runs from the Thursday before to the Wednesday after.
const NOW = Date.parse('2026-11-18T18:30:00.000Z');
const DAY = 24 * HOUR;

/** Every page of a list, for checks over a whole (tiny) building. */
async function all(server: TestServer, owner: Account, path: string) {
  const items = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await ok(
      server,
      owner,
      'GET',
      `${path}${separator}limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/**
 * Every row of the building's lists with ids left out (they differ between workspaces), in a
 * canonical order (ties in a list's own order are broken by id).
 */
async function contents(server: TestServer, owner: Account) {
  const ids = new Set([
    'id',
    'floorId',
    'roomId',
    'hostMemberId',
    'homeFloorId',
    'buildingId',
    'memberId',
    'gatheringId',
  ]);
  const canonical = (items: Record<string, unknown>[]) =>
    items
      .map((item) => JSON.stringify(Object.entries(item).filter(([key]) => !ids.has(key))))
      .sort();
  const lists = [
    '/spaces/floors',
    '/spaces/rooms',
    '/community/members',
    '/spaces/gatherings',
    '/spaces/check-ins',
    '/spaces/bookings',
  ];
  return Promise.all(lists.map(async (path) => canonical(await all(server, owner, path))));
}

describe('the spaces demo generator', () => {
  const server = useTestServer();

  it('builds the same tower every time, relative to now, with live activity', async () => {
    const [first, second] = [await registerOwner(server), await registerOwner(server)];
    const db = server.app.pulse.database.db;
    const one = await seedSpaces(db, { workspaceId: first.workspaceId, size: 'tiny', now: NOW });
    const two = await seedSpaces(db, { workspaceId: second.workspaceId, size: 'tiny', now: NOW });
    const { durationMs: _a, ...counts } = one;
    const { durationMs: _b, ...countsAgain } = two;
    expect(countsAgain).toEqual(counts);
    expect(counts).toMatchObject({ created: true, floors: 16, rooms: 48, members: 30 });
    expect(counts.gatherings).toBeGreaterThan(20);
    expect(counts.checkIns).toBeGreaterThan(counts.openCheckIns);
    expect(await contents(server, second)).toEqual(await contents(server, first));
    // A second run leaves a seeded workspace alone.
    expect(
      (await seedSpaces(db, { workspaceId: first.workspaceId, size: 'tiny', now: NOW })).created,
    ).toBe(false);

    const floors = await all(server, first, '/spaces/floors');
    expect(floors.map((f: { number: number }) => f.number)).toEqual(
      [...Array(16)].map((_, i) => i + 1),
    );
    const rooms = await all(server, first, '/spaces/rooms');
    expect(new Set(rooms.map((r: { kind: string }) => r.kind))).toEqual(
      new Set(['meeting', 'event', 'desk']),
    );

    // Live now: gatherings on at NOW, people checked in (one open check-in each at most).
    const onNow = await all(
      server,
      first,
      `/spaces/gatherings?from=${iso(NOW)}&to=${iso(NOW + 1)}`,
    );
    expect(onNow.length).toBeGreaterThanOrEqual(3);
    const open = await all(server, first, '/spaces/check-ins?open=true');
    expect(open).toHaveLength(counts.openCheckIns);
    expect(new Set(open.map((c: { memberId: string }) => c.memberId)).size).toBe(open.length);
    expect(open.every((c: { checkedInAt: string }) => Date.parse(c.checkedInAt) <= NOW)).toBe(true);

    // Weekly rhythm: the calendar's Sundays are quieter than its weekdays.
    const gatherings = await all(server, first, '/spaces/gatherings');
    expect(gatherings).toHaveLength(counts.gatherings);
    const perWeekday = [0, 0, 0, 0, 0, 0, 0];
    for (const g of gatherings) {
      const day = new Date(g.startsAt).getUTCDay();
      perWeekday[day] = (perWeekday[day] ?? 0) + 1;
    }
    const [sunday = 0, ...rest] = perWeekday;
    const weekdays = rest.slice(0, 5);
    expect(sunday / 2).toBeLessThan(weekdays.reduce((a, b) => a + b, 0) / 10);

    // Bookings never overlap within a room.
    const bookings = await all(server, first, '/spaces/bookings?includeCancelled=true');
    expect(bookings).toHaveLength(counts.bookings);
    const byRoom = new Map<string, { startsAt: string; endsAt: string }[]>();
    for (const b of bookings) byRoom.set(b.roomId, [...(byRoom.get(b.roomId) ?? []), b]);
    for (const list of byRoom.values()) {
      for (let i = 1; i < list.length; i += 1) {
        expect(Date.parse(list[i]?.startsAt ?? '')).toBeGreaterThanOrEqual(
          Date.parse(list[i - 1]?.endsAt ?? ''),
        );
      }
    }

    // Events: every check-in and check-out of the last 24 hours, and nothing older.
    const checkIns = await all(server, first, '/spaces/check-ins');
    const since = NOW - DAY;
    const expectedEvents =
      checkIns.filter((c: { checkedInAt: string }) => Date.parse(c.checkedInAt) >= since).length +
      checkIns.filter(
        (c: { checkedOutAt: string | null }) =>
          c.checkedOutAt && Date.parse(c.checkedOutAt) >= since,
      ).length;
    expect(counts.events).toBe(expectedEvents);
    const events = [
      ...(await all(server, first, '/events?type=space.check_in')),
      ...(await all(server, first, '/events?type=space.check_out')),
    ];
    expect(events).toHaveLength(expectedEvents);
    expect(events.every((e: { timestamp: string }) => Date.parse(e.timestamp) >= since)).toBe(true);
  }, 60_000);

  it('gives the quick start demo a building the demo user belongs to', async () => {
    await seedDemo(server.config, server.app.pulse);
    const login = await call(server, '', 'POST', '/auth/login', {
      email: DEMO_OWNER.email,
      password: DEMO_OWNER.password,
    });
    const demo = login.body.accessToken as string;
    const me = await ok(server, demo, 'GET', '/spaces/me');
    expect(me.member).toMatchObject({ name: DEMO_OWNER.name, userId: login.body.user.id });
    const members = await ok(server, demo, 'GET', '/community/members?limit=1');
    expect(members.nextCursor).not.toBeNull();
    expect((await ok(server, demo, 'GET', '/spaces/floors?limit=200')).items).toHaveLength(16);
    const live = await ok(server, demo, 'GET', '/spaces/check-ins?open=true&limit=1');
    expect(live.items).toHaveLength(1);
    // The demo registers four accounts and bulk-loads ~30,000 rows: slower than most tests.
  }, 120_000);
});
