import { describe, expect, it } from 'vitest';
import { useTestServer } from './harness.js';
import {
  ago,
  checkIn,
  gathering,
  HOUR,
  hallWithFourMembers,
  newWorkspace,
  rsvp,
  type Workspace,
} from './spaces.fixture.js';

/** `gathering_attendance` as the triggers left it: attendees per gathering id. */
async function attendance(ws: Workspace): Promise<Record<string, number>> {
  const rows = await ws.scope
    .selectFrom('gathering_attendance')
    .select(['gathering_id', 'attendees'])
    .execute();
  return Object.fromEntries(rows.map((row) => [row.gathering_id, row.attendees]));
}

describe('gathering attendance kept by the database', () => {
  const server = useTestServer();

  it('counts distinct going RSVPs ∪ check-ins through inserts, updates, moves and cascades', async () => {
    const ws = await newWorkspace(server);
    const s = ws.scope;
    const {
      roomId,
      members: [a, b, c, d],
    } = await hallWithFourMembers(s);
    const slot = { startsAt: ago(3 * HOUR), endsAt: ago(HOUR) };
    const g1 = await gathering(s, roomId, { title: 'One', ...slot });
    const g2 = await gathering(s, roomId, { title: 'Two', ...slot });
    expect(await attendance(ws)).toEqual({});

    // a, b going; c only interested: 2.
    await rsvp(s, g1, [a, b]);
    await rsvp(s, g1, [c], 'interested');
    expect(await attendance(ws)).toEqual({ [g1]: 2 });

    // a checks in too (still one person), d walks in without an RSVP: a, b, d = 3.
    await checkIn(s, a, { roomId, gatheringId: g1, at: ago(2 * HOUR), out: ago(HOUR) });
    await checkIn(s, d, { roomId, gatheringId: g1, at: ago(2 * HOUR) });
    expect(await attendance(ws)).toEqual({ [g1]: 3 });

    // c decides to go, b cancels: a, c, d = 3.
    await s.updateTable('rsvps').set({ status: 'going' }).where('member_id', '=', c).execute();
    await s.updateTable('rsvps').set({ status: 'cancelled' }).where('member_id', '=', b).execute();
    expect(await attendance(ws)).toEqual({ [g1]: 3 });

    // d's check-in was for the other gathering: g1 has a, c; g2 has d.
    await s.updateTable('check_ins').set({ gathering_id: g2 }).where('member_id', '=', d).execute();
    expect(await attendance(ws)).toEqual({ [g1]: 2, [g2]: 1 });

    // a leaves the building for good (RSVP and check-in go by cascade): g1 has c.
    await s.deleteFrom('members').where('id', '=', a).execute();
    expect(await attendance(ws)).toEqual({ [g1]: 1, [g2]: 1 });

    // Deleting a gathering takes its attendance (and its check-ins, by cascade) with it.
    await s.deleteFrom('gatherings').where('id', '=', g2).execute();
    expect(await attendance(ws)).toEqual({ [g1]: 1 });

    // Another workspace's attendance never mixes in.
    const other = await newWorkspace(server, 'Elsewhere');
    expect(await attendance(other)).toEqual({});
  });
});
