import { beforeAll, describe, expect, it } from 'vitest';
import { rest, useTestServer } from './harness.js';
import {
  booking,
  building,
  checkIn,
  floor,
  gathering,
  HOUR,
  member,
  newWorkspace,
  room,
  rsvp,
  WEEK,
  type Workspace,
} from './spaces.fixture.js';

interface Opportunity {
  roomId: string;
  timeSlot: string;
  hour: number;
  action: string;
  avgUtilization: number;
  recommendedPriceMultiplier: number;
  projectedRevenue: number;
  evidence: Record<string, unknown>;
}

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
/** "Tue 15:00" for an instant, as the API names hours of the week (UTC building). */
const slotName = (ms: number) => {
  const date = new Date(ms);
  return `${DAYS[(date.getUTCDay() + 6) % 7]} ${String(date.getUTCHours()).padStart(2, '0')}:00`;
};

/**
 * Two weeks ending at the current hour H. Floor 1: R1 and R2 (price 100/h); floor 2: R3
 * (40/h, capacity 5). Three hours of the week are used:
 *   P = H − 3 h: R1 booked both weeks (120 each), R2 one week (100), R3 never.
 *   Q = H − 5 h: a free sold-out gathering in R3 both weeks (5 of 5 going); R1, R2 idle.
 *   T = H − 7 h: one gathering in R2 (capacity 4, 4 checked in, 15 a ticket); R1, R3 idle.
 * A cancelled booking (500) and one before the window change nothing.
 */
async function buildRooms(ws: Workspace, H: number) {
  const s = ws.scope;
  const towerId = await building(s);
  const f1 = await floor(s, towerId, 1);
  const f2 = await floor(s, towerId, 2);
  const r1 = await room(s, f1, { name: 'R1', capacity: 10, hourlyPrice: 100 });
  const r2 = await room(s, f1, { name: 'R2', capacity: 10, hourlyPrice: 100 });
  const r3 = await room(s, f2, { name: 'R3', capacity: 5, hourlyPrice: 40 });
  const people = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((name) => member(s, name)));
  const hour = (at: number) => ({ startsAt: new Date(at), endsAt: new Date(at + HOUR) });
  const P = H - 3 * HOUR;
  const Q = H - 5 * HOUR;
  const T = H - 7 * HOUR;
  for (const week of [0, 1]) {
    await booking(s, r1, { ...hour(P - week * WEEK), price: 120 });
    const sellOut = await gathering(s, r3, {
      title: 'Sold out',
      ...hour(Q - week * WEEK),
      capacity: 5,
    });
    await rsvp(s, sellOut, people);
  }
  await booking(s, r2, { ...hour(P - WEEK), price: 100 });
  const ticketed = await gathering(s, r2, {
    title: 'Ticketed',
    ...hour(T - WEEK),
    capacity: 4,
    price: 15,
  });
  for (const person of people.slice(0, 4)) {
    await checkIn(s, person, { roomId: r2, gatheringId: ticketed, at: new Date(T - WEEK) });
  }
  await booking(s, r1, { ...hour(H - 9 * HOUR), price: 500, cancelled: true });
  await booking(s, r3, { ...hour(H - 3 * WEEK), price: 300 });
  return { towerId, f1, f2, r1, r2, r3, P, Q, T };
}

describe('revenue.optimization', () => {
  const server = useTestServer();
  const H = Math.floor(Date.now() / HOUR) * HOUR;
  let ws: Workspace;
  let rooms: Awaited<ReturnType<typeof buildRooms>>;

  beforeAll(async () => {
    ws = await newWorkspace(server);
    rooms = await buildRooms(ws, H);
  });

  it('measures utilization and recommends prices with their evidence (SDK)', async () => {
    const result = await ws.client.api.revenue.optimization.query({ weeks: 2 });
    const { r1, r2, r3, P, Q, T } = rooms;
    const summary = result.opportunities.map((o: Opportunity) => [
      o.roomId,
      o.timeSlot,
      o.action,
      o.recommendedPriceMultiplier,
      Number(o.projectedRevenue.toFixed(4)),
    ]);
    // Building mean utilization: P (1 + 0.5 + 0) / 3 = 0.5; Q 1/3; T 0.5/3 = 1/6.
    expect(summary.slice(0, 1)).toEqual([
      // R1 at P: used 2 of 2 weeks → ×1.25; keeps its 240 / 2 = 120 a week → +30.
      [r1, slotName(P), 'raise', 1.25, 30],
    ]);
    // R1 and R2 idle at Q while the building is at 1/3: 1/3 × 100 × 0.8 = 26.6667 each.
    expect(new Set(summary.slice(1, 3).map(String))).toEqual(
      new Set([r1, r2].map((id) => String([id, slotName(Q), 'discount', 0.8, 26.6667]))),
    );
    expect(summary.slice(3)).toEqual([
      // R3 idle at P while the building is at 0.5: 0.5 × 40 × 0.8 = 16.
      [r3, slotName(P), 'discount', 0.8, 16],
      // R1 idle at T, building at 1/6: 1/6 × 100 × 0.8 = 13.3333.
      [r1, slotName(T), 'discount', 0.8, 13.3333],
      // R2 at T: used 1 of 2 weeks, but its gathering was full (4/4): pressure 1 → ×1.25 on
      // max(60 / 2 weeks, 0.5 × 100) = 50 → +12.5.
      [r2, slotName(T), 'raise', 1.25, 12.5],
      // R3 at Q: full both weeks, free entry: ×1.25 on the list value 1 × 40 → +10.
      [r3, slotName(Q), 'raise', 1.25, 10],
      // R3 idle at T: 1/6 × 40 × 0.8 = 5.3333.
      [r3, slotName(T), 'discount', 0.8, 5.3333],
    ]);
    const r2AtT = result.opportunities.find(
      (o: Opportunity) => o.roomId === r2 && o.action === 'raise',
    );
    expect(r2AtT?.avgUtilization).toBe(0.5);
    expect(r2AtT?.evidence).toMatchObject({
      weeks: 2,
      usedHours: 1,
      bookings: 0,
      gatherings: 1,
      attendanceRate: 1,
      listPrice: 100,
      avgPricePaidPerHour: null,
      weeklyRevenue: 30,
    });
    const r1AtP = result.opportunities[0];
    expect(r1AtP?.evidence).toMatchObject({
      bookings: 2,
      usedHours: 2,
      avgPricePaidPerHour: 120,
      weeklyRevenue: 120,
    });
    expect(r1AtP?.evidence.buildingUtilizationAtHour).toBeCloseTo(0.5, 12);

    // Open hours: P, Q, T. Floor 1: (2 + 1 + 1) used of 2 rooms × 3 hours × 2 weeks = 1/3;
    // floor 2: 2 of 1 × 3 × 2 = 1/3. Revenue: floor 1 240 + 100 + 15 × 4 = 400, floor 2 0.
    expect(result.openHoursPerWeek).toBe(3);
    expect(result.floorUtilization).toEqual([
      {
        floor: 1,
        floorId: rooms.f1,
        utilizationRate: 4 / 12,
        revenue: 400,
        revenueContribution: 1,
      },
      { floor: 2, floorId: rooms.f2, utilizationRate: 2 / 6, revenue: 0, revenueContribution: 0 },
    ]);
  });

  it('answers over REST with the same figures, bounded by limit and cached 60 s', async () => {
    const response = await rest(
      server,
      'GET',
      `/revenue/optimization?weeks=2&limit=2&buildingId=${rooms.towerId}`,
      {
        token: ws.token,
      },
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.opportunities).toHaveLength(2);
    expect(response.body.opportunities[0]).toMatchObject({
      roomId: rooms.r1,
      projectedRevenue: 30,
    });
    expect(response.headers.get('cache-control')).toBe('private, max-age=60');
    const bad = await rest(server, 'GET', '/revenue/optimization?weeks=0', { token: ws.token });
    expect(bad.status).toBe(400);
    expect(bad.body.data.issues[0].path).toBe('weeks');
  });

  it("never shows another workspace's rooms", async () => {
    const other = await newWorkspace(server, 'Elsewhere');
    const none = await rest(server, 'GET', '/revenue/optimization', { token: other.token });
    expect(none.status).toBe(404);
    expect(none.body.data.issues[0].path).toBe('buildingId');
    const theirs = await rest(server, 'GET', `/revenue/optimization?buildingId=${rooms.towerId}`, {
      token: other.token,
    });
    expect(theirs.status).toBe(404);
    const ownId = await building(other.scope, 'Annex');
    const own = await other.client.api.revenue.optimization.query({ buildingId: ownId });
    expect(own).toMatchObject({ opportunities: [], floorUtilization: [], openHoursPerWeek: 0 });
  });
});
