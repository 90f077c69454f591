import { describe, expect, it } from 'vitest';
import { useTestServer } from './harness.js';
import {
  attendanceWithStarts,
  checkIn,
  connect,
  DAY,
  gathering,
  HOUR,
  hallWithFourMembers,
  member,
  newWorkspace,
  rsvp,
  utcDayStart,
  type Workspace,
} from './spaces.fixture.js';

type Activity = Record<string, number>;

/** `member_activity` as the triggers left it: attendance by "member day". */
async function kept(ws: Workspace): Promise<Activity> {
  const rows = await ws.scope
    .selectFrom('member_activity')
    .select((eb) => ['member_id', 'attendance', eb.cast<string>('day', 'text').as('day')])
    .execute();
  return Object.fromEntries(rows.map((row) => [`${row.member_id} ${row.day}`, row.attendance]));
}

/** The same figures recounted here from the RSVPs, check-ins and gatherings. */
async function recounted(ws: Workspace): Promise<Activity> {
  const activity: Activity = {};
  for (const { memberId, startsAt } of await attendanceWithStarts(ws.scope)) {
    const key = `${memberId} ${dayOf(startsAt)}`;
    activity[key] = (activity[key] ?? 0) + 1;
  }
  return activity;
}

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

describe('member activity kept by the database', () => {
  const server = useTestServer();

  it('equals a recount through inserts, status changes, check-outs, moves and cascades', async () => {
    const ws = await newWorkspace(server);
    const s = ws.scope;
    const {
      roomId,
      members: [a, b, c, d],
    } = await hallWithFourMembers(s);
    // Two gatherings on one UTC day (late evening and just before midnight), one the next day.
    const monday = utcDayStart() - 3 * DAY;
    const at = (ms: number) => new Date(monday + ms);
    const g1 = await gathering(s, roomId, {
      title: 'One',
      startsAt: at(20 * HOUR),
      endsAt: at(21 * HOUR),
    });
    const g2 = await gathering(s, roomId, {
      title: 'Two',
      startsAt: at(DAY - 1000),
      endsAt: at(DAY + HOUR),
    });
    const g3 = await gathering(s, roomId, {
      title: 'Three',
      startsAt: at(DAY),
      endsAt: at(DAY + HOUR),
    });
    const [day1, day2] = [dayOf(at(0)), dayOf(at(DAY))];
    const check = async (expected: Activity) => {
      expect(await kept(ws)).toEqual(expected);
      expect(await recounted(ws)).toEqual(expected);
    };
    await check({});

    // One statement, several gatherings: a and b going to both of day 1; c only interested.
    await rsvp(s, g1, [a, b]);
    await rsvp(s, g2, [a, b, d]);
    await rsvp(s, g3, [c], 'interested');
    await check({ [`${a} ${day1}`]: 2, [`${b} ${day1}`]: 2, [`${d} ${day1}`]: 1 });

    // Check-ins count as rows of their own (an RSVP and a check-in: 2); a room check-in does not.
    await checkIn(s, a, { roomId, gatheringId: g1, at: at(20 * HOUR) });
    await checkIn(s, c, { roomId, gatheringId: g3, at: at(DAY) });
    await checkIn(s, d, { roomId, at: at(DAY) });
    await check({
      [`${a} ${day1}`]: 3,
      [`${b} ${day1}`]: 2,
      [`${d} ${day1}`]: 1,
      [`${c} ${day2}`]: 1,
    });

    // Status changes: c decides to go, b cancels one; a check-out changes nothing.
    await s.updateTable('rsvps').set({ status: 'going' }).where('member_id', '=', c).execute();
    await s
      .updateTable('rsvps')
      .set({ status: 'cancelled' })
      .where('member_id', '=', b)
      .where('gathering_id', '=', g1)
      .execute();
    await s
      .updateTable('check_ins')
      .set({ checked_out_at: at(21 * HOUR) })
      .where('member_id', '=', a)
      .execute();
    // A check-in moved from a gathering to another, and one to the room only.
    await s.updateTable('check_ins').set({ gathering_id: g2 }).where('member_id', '=', a).execute();
    await s
      .updateTable('check_ins')
      .set({ gathering_id: null })
      .where('member_id', '=', c)
      .execute();
    await check({
      [`${a} ${day1}`]: 3,
      [`${b} ${day1}`]: 1,
      [`${d} ${day1}`]: 1,
      [`${c} ${day2}`]: 1,
    });

    // Moving a gathering moves its attendance: g2 a second later is on day 2; g1 within day 1 stays.
    await s
      .updateTable('gatherings')
      .set({ starts_at: at(DAY), ends_at: at(DAY + HOUR) })
      .where('id', '=', g2)
      .execute();
    await s
      .updateTable('gatherings')
      .set({ starts_at: at(19 * HOUR) })
      .where('id', '=', g1)
      .execute();
    await check({
      [`${a} ${day1}`]: 1,
      [`${a} ${day2}`]: 2,
      [`${b} ${day2}`]: 1,
      [`${d} ${day2}`]: 1,
      [`${c} ${day2}`]: 1,
    });
    // Several gatherings moved in one statement, one of them onto the other's day.
    await s
      .updateTable('gatherings')
      .set((eb) => {
        // An interval, typed as the column so Kysely accepts the subtraction.
        const oneDay = eb.fn<Date>('make_interval', [eb.lit(0), eb.lit(0), eb.lit(0), eb.lit(1)]);
        return { starts_at: eb('starts_at', '-', oneDay), ends_at: eb('ends_at', '-', oneDay) };
      })
      .where('id', 'in', [g1, g2])
      .execute();
    const day0 = dayOf(at(-DAY));
    await check({
      [`${a} ${day0}`]: 1,
      [`${a} ${day1}`]: 2,
      [`${b} ${day1}`]: 1,
      [`${d} ${day1}`]: 1,
      [`${c} ${day2}`]: 1,
    });

    // Deleting a gathering takes its attendance (its RSVPs and check-ins go by cascade).
    await s.deleteFrom('gatherings').where('id', '=', g2).execute();
    await check({ [`${a} ${day0}`]: 1, [`${c} ${day2}`]: 1 });

    // Deleting a member takes theirs.
    await rsvp(s, g3, [a, d]);
    await s.deleteFrom('members').where('id', '=', a).execute();
    await check({ [`${c} ${day2}`]: 1, [`${d} ${day2}`]: 1 });

    // Deleting the room takes its gatherings and everything under them.
    await s.deleteFrom('rooms').where('id', '=', roomId).execute();
    await check({});

    // Another workspace's activity never mixes in.
    const other = await newWorkspace(server, 'Elsewhere');
    expect(await kept(other)).toEqual({});
  });

  it('counts connections per member through inserts, deletes and cascades', async () => {
    const ws = await newWorkspace(server);
    const s = ws.scope;
    const [a, b, c, d] = await Promise.all(['a', 'b', 'c', 'd'].map((name) => member(s, name)));
    if (!a || !b || !c || !d) throw new Error('members not created');
    const counts = async () =>
      Object.fromEntries(
        (
          await s
            .selectFrom('member_connection_counts')
            .select(['member_id', 'connections'])
            .execute()
        ).map((row) => [row.member_id, row.connections]),
      );
    const recount = async () => {
      const counted: Record<string, number> = {};
      for (const row of await s
        .selectFrom('member_connections')
        .select(['member_a', 'member_b'])
        .execute()) {
        for (const end of [row.member_a, row.member_b]) counted[end] = (counted[end] ?? 0) + 1;
      }
      return counted;
    };
    const check = async (expected: Record<string, number>) => {
      expect(await counts()).toEqual(expected);
      expect(await recount()).toEqual(expected);
    };

    await connect(s, a, b);
    await connect(s, a, c);
    // Several in one statement.
    const pairs = [
      [b, c],
      [c, d],
    ].map(([x = '', y = '']) =>
      x < y ? { member_a: x, member_b: y } : { member_a: y, member_b: x },
    );
    await s.insertInto('member_connections', pairs).execute();
    await check({ [a]: 2, [b]: 2, [c]: 3, [d]: 1 });

    await s
      .deleteFrom('member_connections')
      .where('member_a', 'in', [c, d])
      .where('member_b', 'in', [c, d])
      .execute();
    await check({ [a]: 2, [b]: 2, [c]: 2 });

    // Deleting a member takes their connections, and their row, with them.
    await s.deleteFrom('members').where('id', '=', a).execute();
    await check({ [b]: 1, [c]: 1 });
    expect(await counts()).not.toHaveProperty(a);
  });
});
