import { beforeAll, describe, expect, it } from 'vitest';
import { rest, useTestServer } from './harness.js';
import {
  ago,
  booking,
  building,
  checkIn,
  DAY,
  floor,
  gathering,
  HOUR,
  later,
  MINUTE,
  member,
  newWorkspace,
  room,
  rsvp,
  utcDayStart,
  WEEK,
  type Workspace,
} from './spaces.fixture.js';

/**
 * Floor 4: Lab (A, capacity 10) and Booth (B, capacity 4); floor 5: Hall (C, capacity 20).
 * Now: four people in the Lab (three at "Robot demo"), one at "Design crit" in the Hall; one
 * check-in in the Booth left open 13 h ago (forgotten: not counted).
 */
async function buildTower(ws: Workspace, now: number) {
  const s = ws.scope;
  const towerId = await building(s);
  const f4 = await floor(s, towerId, 4, 'Robotics');
  const f5 = await floor(s, towerId, 5, 'Studio');
  const lab = await room(s, f4, { name: 'Lab', capacity: 10, hourlyPrice: 50, x: 1 });
  const booth = await room(s, f4, { name: 'Booth', capacity: 4, hourlyPrice: 20 });
  const hall = await room(s, f5, { name: 'Hall', capacity: 20, hourlyPrice: 100 });
  const [m1, m2, m3, m4, m5, m6] = (await Promise.all(
    ['Ada', 'Ben', 'Cy', 'Dee', 'Eve', 'Fay'].map((name) => member(s, name)),
  )) as [string, string, string, string, string, string];

  const demo = await gathering(s, lab, {
    title: 'Robot demo',
    tags: ['robotics', 'demo'],
    startsAt: ago(30 * MINUTE, now),
    endsAt: later(90 * MINUTE, now),
    price: 10,
  });
  const soldering = await gathering(s, lab, {
    title: 'Soldering',
    tags: ['robotics', 'hardware'],
    startsAt: later(2 * HOUR, now),
    endsAt: later(3 * HOUR, now),
  });
  const crit = await gathering(s, hall, {
    title: 'Design crit',
    tags: ['design'],
    startsAt: ago(10 * MINUTE, now),
    endsAt: later(50 * MINUTE, now),
  });
  await gathering(s, booth, {
    title: 'Robotics meetup',
    tags: ['robotics'],
    startsAt: ago(5 * HOUR, now),
    endsAt: ago(4 * HOUR, now),
  });
  await gathering(s, hall, {
    title: 'Design review',
    tags: ['design'],
    startsAt: ago(30 * HOUR, now),
    endsAt: ago(29 * HOUR, now),
  });
  await rsvp(s, demo, [m1, m2, m6]);
  await rsvp(s, soldering, [m1, m5]);
  await rsvp(s, soldering, [m3], 'interested');

  for (const m of [m1, m2, m3]) {
    await checkIn(s, m, { roomId: lab, gatheringId: demo, at: ago(20 * MINUTE, now) });
  }
  await checkIn(s, m4, { roomId: lab, at: ago(10 * MINUTE, now) });
  await checkIn(s, m5, { roomId: hall, gatheringId: crit, at: ago(5 * MINUTE, now) });
  await checkIn(s, m6, { roomId: booth, at: ago(13 * HOUR, now) });
  await checkIn(s, m6, { roomId: booth, at: ago(40 * MINUTE, now), out: ago(35 * MINUTE, now) });
  // The same hour one and two weeks ago: two check-ins each in the Lab; four a week ago in the Hall.
  for (const [m, weeks] of [
    [m1, 1],
    [m2, 1],
    [m1, 2],
    [m3, 2],
  ] as const) {
    const at = ago(weeks * WEEK + 30 * MINUTE, now);
    await checkIn(s, m, { roomId: lab, at, out: later(10 * MINUTE, at.getTime()) });
  }
  for (const m of [m1, m2, m3, m4]) {
    const at = ago(WEEK + 20 * MINUTE, now);
    await checkIn(s, m, { roomId: hall, at, out: later(10 * MINUTE, at.getTime()) });
  }
  await booking(s, booth, {
    startsAt: later(3 * HOUR, now),
    endsAt: later(4 * HOUR, now),
    price: 40,
  });
  await booking(s, hall, {
    startsAt: later(HOUR, now),
    endsAt: later(2 * HOUR, now),
    price: 500,
    cancelled: true,
  });
  await booking(s, lab, { startsAt: ago(25 * HOUR, now), endsAt: ago(24 * HOUR, now), price: 70 });
  return { towerId, f4, f5, lab, booth, hall, demo, soldering, crit };
}

describe('spaces intelligence: floor pulse and the building live', () => {
  const server = useTestServer();
  const now = Date.now();
  let ws: Workspace;
  let tower: Awaited<ReturnType<typeof buildTower>>;

  beforeAll(async () => {
    ws = await newWorkspace(server);
    tower = await buildTower(ws, now);
  });

  it('answers the floor pulse through the SDK, worked out by hand', async () => {
    const pulse = await ws.client.api.spaces.floorPulse.query({ floorId: tower.f4 });
    expect(pulse).toMatchObject({ floorId: tower.f4, floorNumber: 4, floorName: 'Robotics' });
    const [booth, lab] = pulse.rooms;
    expect(pulse.rooms.map((r) => r.roomName)).toEqual(['Booth', 'Lab']);
    expect(lab).toMatchObject({
      roomId: tower.lab,
      coordinates: { x: 1, y: 0, width: 4, height: 3 },
      // Going RSVPs {Ada, Ben, Fay} ∪ check-ins {Ada, Ben, Cy} = 4 people.
      event: { id: tower.demo, title: 'Robot demo', tags: ['robotics', 'demo'], attendeeCount: 4 },
      // Going {Ada, Eve}; Cy is only "interested".
      next: { id: tower.soldering, title: 'Soldering', attendeeCount: 2 },
      liveMetrics: {
        attendeeCount: 4, // Ada, Ben, Cy at the demo + Dee
        capacity: 10,
        utilizationRate: 0.4,
        checkInsLastHour: 4,
        // Two check-ins a week ago and two two weeks ago, over 4 weeks: 1 per week.
        usualCheckInsLastHour: 1,
      },
    });
    expect(lab?.liveMetrics.activityHeat).toBeCloseTo(4 / (4 + 1), 10);
    // The Booth: Fay's 13-hour-old open check-in is a forgotten check-out; her closed visit
    // 40 minutes ago is activity where there usually is none (heat 1).
    expect(booth).toMatchObject({
      event: null,
      next: null,
      liveMetrics: {
        attendeeCount: 0,
        capacity: 4,
        utilizationRate: 0,
        checkInsLastHour: 1,
        usualCheckInsLastHour: 0,
        activityHeat: 1,
      },
    });
    expect(pulse.totals).toMatchObject({
      rooms: 2,
      attendeeCount: 4,
      capacity: 14,
      liveEvents: 1,
      checkInsLastHour: 5,
      usualCheckInsLastHour: 1,
    });
    expect(pulse.totals.utilizationRate).toBeCloseTo(4 / 14, 10);
    expect(pulse.totals.activityHeat).toBeCloseTo(5 / 6, 10);
    // Floor 4 in the last 24 h: robotics twice (demo, meetup), demo once; nothing the day before.
    expect(pulse.trendingTags).toEqual([
      { tag: 'robotics', eventCount: 2, previousCount: 0, growth: 2 },
      { tag: 'demo', eventCount: 1, previousCount: 0, growth: 1 },
    ]);
  });

  it('takes the history length over REST, and caches the answer', async () => {
    const path = `/spaces/floors/${tower.f4}/pulse?weeks=2`;
    const first = await rest(server, 'GET', path, { token: ws.token });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    // Over 2 weeks the Lab's usual hour is 4 / 2 = 2 check-ins: heat 4 / (4 + 2).
    const lab = first.body.rooms.find((r: { roomName: string }) => r.roomName === 'Lab');
    expect(lab.liveMetrics.usualCheckInsLastHour).toBe(2);
    expect(lab.liveMetrics.activityHeat).toBeCloseTo(4 / 6, 10);
    expect(first.body.totals.activityHeat).toBeCloseTo(5 / 7, 10);
    expect(first.headers.get('x-cache')).toBe('MISS');
    const second = await rest(server, 'GET', path, { token: ws.token });
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.headers.get('cache-control')).toBe('private, max-age=30');
  });

  it('answers the building live, worked out by hand', async () => {
    const live = await ws.client.api.spaces.live.query();
    // Present: Ada, Ben, Cy, Dee (Lab) and Eve (Hall); Fay's stale check-in does not count.
    // Ada, Ben and Cy share the demo: 3 of 5 collaborate. Eve is alone at the crit.
    expect(live.tower).toMatchObject({ activeMembers: 5, liveEvents: 2, collaborationScore: 0.6 });
    // Dee (10 min ago) and Eve (5 min ago) in the last 15 minutes.
    expect(live.tower.checkInsPerMinute).toBeCloseTo(2 / 15, 10);
    // Today (UTC): the Booth booking (40) if it starts before midnight, plus the demo's
    // tickets (10 × 4 attendees) if it started after midnight; the cancelled booking (500)
    // and yesterday's (70) never count.
    const dayEnd = utcDayStart(now) + DAY;
    const expected =
      (now + 3 * HOUR < dayEnd ? 40 : 0) + (now - 30 * MINUTE >= utcDayStart(now) ? 40 : 0);
    expect(live.tower.revenueToday).toBe(expected);
    expect(live.trendingTopics).toEqual([
      { topic: 'robotics', eventCount: 2, previousCount: 0, growth: 2 },
      { topic: 'demo', eventCount: 1, previousCount: 0, growth: 1 },
      // One design gathering in each window: flat.
      { topic: 'design', eventCount: 1, previousCount: 1, growth: 0 },
    ]);
    expect(live.floorActivity).toEqual([
      {
        floor: 4,
        floorId: tower.f4,
        name: 'Robotics',
        activityScore: 4 / 14,
        attendeeCount: 4,
        currentEvents: 1,
      },
      {
        floor: 5,
        floorId: tower.f5,
        name: 'Studio',
        activityScore: 1 / 20,
        attendeeCount: 1,
        currentEvents: 1,
      },
    ]);

    const named = await rest(server, 'GET', `/spaces/live?buildingId=${tower.towerId}`, {
      token: ws.token,
    });
    expect(named.status).toBe(200);
    expect(named.body.tower).toMatchObject({ activeMembers: 5, liveEvents: 2 });
  });

  it('names the field of bad input, and refuses unknown floors and buildings', async () => {
    const badId = await rest(server, 'GET', '/spaces/floors/not-a-floor/pulse', {
      token: ws.token,
    });
    expect(badId.status).toBe(400);
    expect(badId.body.data.issues[0].path).toBe('floorId');
    const badWeeks = await rest(server, 'GET', `/spaces/floors/${tower.f4}/pulse?weeks=99`, {
      token: ws.token,
    });
    expect(badWeeks.status).toBe(400);
    expect(badWeeks.body.data.issues[0].path).toBe('weeks');
    const unknown = await rest(server, 'GET', `/spaces/floors/${crypto.randomUUID()}/pulse`, {
      token: ws.token,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.data.issues[0].path).toBe('floorId');
    const noBuilding = await rest(server, 'GET', `/spaces/live?buildingId=${crypto.randomUUID()}`, {
      token: ws.token,
    });
    expect(noBuilding.status).toBe(404);
  });

  it("never shows another workspace's building", async () => {
    const other = await newWorkspace(server, 'Elsewhere');
    const pulse = await rest(server, 'GET', `/spaces/floors/${tower.f4}/pulse`, {
      token: other.token,
    });
    expect(pulse.status).toBe(404);
    const live = await other.client.api.spaces.live.query();
    expect(live.tower).toMatchObject({
      activeMembers: 0,
      liveEvents: 0,
      revenueToday: 0,
      checkInsPerMinute: 0,
    });
    expect(live.floorActivity).toEqual([]);
    expect(live.trendingTopics).toEqual([]);
    const named = await rest(server, 'GET', `/spaces/live?buildingId=${tower.towerId}`, {
      token: other.token,
    });
    expect(named.status).toBe(404);
  });
});

describe('spaces intelligence rate limits', () => {
  const server = useTestServer({ RATE_LIMIT_SCALE: '1' });

  it('refuses the 181st floor pulse and the 241st live read of a minute with 429 and Retry-After', async () => {
    const ws = await newWorkspace(server);
    const towerId = await building(ws.scope);
    const floorId = await floor(ws.scope, towerId, 1);
    for (const [path, limit] of [
      [`/spaces/floors/${floorId}/pulse`, 180],
      ['/spaces/live', 240],
    ] as const) {
      // In batches of 20 at a time: the limiter counts each, whatever their order.
      for (let sent = 0; sent < limit; sent += 20) {
        const batch = Array.from({ length: Math.min(20, limit - sent) }, () =>
          rest(server, 'GET', path, { token: ws.token }),
        );
        for (const ok of await Promise.all(batch)) expect(ok.status).toBe(200);
      }
      const refused = await rest(server, 'GET', path, { token: ws.token });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  }, 120_000);
});
