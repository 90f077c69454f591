import { describe, expect, it } from 'vitest';
import { createApiKey, join, registerOwner } from './accounts.js';
import { useTestServer } from './harness.js';
import { buildTower, call, fieldsOf, HOUR, iso, ok, profileOf } from './spaces.support.js';

describe('spaces: RSVPs, check-ins and bookings', () => {
  const server = useTestServer();

  it('enforces capacity for going; interested and cancelled do not count', async () => {
    const owner = await registerOwner(server);
    const tower = await buildTower(server, owner);
    const [ann, ben, cat] = [
      await join(server, owner, 'member'),
      await join(server, owner, 'member'),
      await join(server, owner, 'member'),
    ];
    const [annP, benP, catP] = [
      await profileOf(server, ann),
      await profileOf(server, ben),
      await profileOf(server, cat),
    ];
    const start = Date.now() + HOUR;
    const gathering = await ok(server, owner, 'POST', '/spaces/gatherings', {
      roomId: tower.rooms[0]?.meeting,
      title: 'Small table',
      tags: ['ai'],
      capacity: 2,
      startsAt: iso(start),
      endsAt: iso(start + HOUR),
    });
    const rsvp = (who: typeof ann, status: string) =>
      call(server, who, 'PUT', `/spaces/gatherings/${gathering.id}/rsvp`, { status });

    expect((await rsvp(ann, 'going')).body).toMatchObject({ changed: true, going: 1, capacity: 2 });
    expect((await rsvp(ben, 'going')).body).toMatchObject({ going: 2 });
    const full = await rsvp(cat, 'going');
    expect(full.status).toBe(409);
    expect(full.body.data.domainCode).toBe('CAPACITY_REACHED');
    expect(fieldsOf(full)).toEqual(['status']);
    // Interest is not a seat.
    expect((await rsvp(cat, 'interested')).body).toMatchObject({ changed: true, going: 2 });
    // Saying going again while going is no change, and does not need a free place.
    expect((await rsvp(ben, 'going')).body).toMatchObject({ changed: false, going: 2 });
    expect((await rsvp(ann, 'cancelled')).body).toMatchObject({ changed: true, going: 1 });
    expect((await rsvp(cat, 'going')).body).toMatchObject({ changed: true, going: 2 });

    const going = await ok(
      server,
      owner,
      'GET',
      `/spaces/gatherings/${gathering.id}/rsvps?status=going`,
    );
    expect(going.items.map((r: { memberId: string }) => r.memberId)).toEqual([benP.id, catP.id]);
    const all = await ok(server, owner, 'GET', `/spaces/gatherings/${gathering.id}`);
    expect(all).toMatchObject({ going: 2, interested: 0 });

    // A member answers only for themselves; an admin for anyone.
    const forAnn = await call(server, ben, 'PUT', `/spaces/gatherings/${gathering.id}/rsvp`, {
      status: 'interested',
      memberId: annP.id,
    });
    expect([forAnn.status, fieldsOf(forAnn)]).toEqual([403, ['memberId']]);
    await ok(server, owner, 'PUT', `/spaces/gatherings/${gathering.id}/rsvp`, {
      status: 'interested',
      memberId: annP.id,
    });

    // Each change is a space.rsvp event: ann going, ben going, cat interested, ann cancelled,
    // cat going, ann interested = 6 (the unchanged answer stored none).
    const events = await ok(server, owner, 'GET', '/events?type=space.rsvp&limit=50');
    expect(events.items).toHaveLength(6);
    expect(events.items[0]).toMatchObject({
      userId: annP.id,
      properties: {
        status: 'interested',
        gatheringId: gathering.id,
        roomId: tower.rooms[0]?.meeting,
        floorId: tower.floorIds[0],
        floor: 1,
        tags: ['ai'],
      },
    });
  });

  it('keeps one open check-in per member, stores events and announces activity', async () => {
    const owner = await registerOwner(server);
    const tower = await buildTower(server, owner);
    const member = await join(server, owner, 'member');
    const viewer = await join(server, owner, 'viewer');
    const profile = await profileOf(server, member, ['art']);
    // The tower feed's replay stream, where the writes announce themselves (after the
    // building's own, already there).
    const { stream } = server.app.pulse.infra;
    const towerStream = `live:${owner.workspaceId}:tower`;
    const startedAfter = (await stream.read(towerStream, null, 0)).lastId;
    const announced = async () => {
      const { entries } = await stream.read(towerStream, startedAfter, 100);
      return entries.map((entry) => (entry.data as { activity: { kind: string } }).activity.kind);
    };
    const generation = async (topic: string) =>
      (await server.app.pulse.infra.cache.get<number>(
        `read-generation:${topic}:${owner.workspaceId}`,
      )) ?? 0;
    const before = { spaces: await generation('spaces'), community: await generation('community') };

    const now = Date.now();
    const gathering = await ok(server, owner, 'POST', '/spaces/gatherings', {
      roomId: tower.rooms[1]?.hall,
      title: 'Open studio',
      tags: ['art'],
      startsAt: iso(now - HOUR),
      endsAt: iso(now + HOUR),
    });
    const first = await ok(server, member, 'POST', '/spaces/check-ins', {
      roomId: tower.rooms[0]?.meeting,
      at: iso(now - 30 * 60_000),
    });
    expect(first).toMatchObject({
      checkIn: {
        memberId: profile.id,
        roomId: tower.rooms[0]?.meeting,
        floorId: tower.floorIds[0],
        checkedOutAt: null,
      },
      closed: null,
    });
    // Checking in to the gathering closes the room check-in at the same moment.
    const second = await ok(server, member, 'POST', '/spaces/check-ins', {
      gatheringId: gathering.id,
      at: iso(now),
    });
    expect(second.checkIn).toMatchObject({
      roomId: tower.rooms[1]?.hall,
      gatheringId: gathering.id,
    });
    expect(second.closed).toMatchObject({ id: first.checkIn.id, checkedOutAt: iso(now) });
    const open = await ok(
      server,
      owner,
      'GET',
      `/spaces/check-ins?open=true&memberId=${profile.id}`,
    );
    expect(open.items.map((c: { id: string }) => c.id)).toEqual([second.checkIn.id]);
    const backInTime = await call(server, member, 'POST', '/spaces/check-ins', {
      at: iso(now - HOUR),
    });
    expect([backInTime.status, fieldsOf(backInTime)]).toEqual([400, ['at']]);

    const out = await ok(server, member, 'POST', '/spaces/check-ins/check-out', {});
    expect(out).toMatchObject({ id: second.checkIn.id });
    expect(out.checkedOutAt).not.toBeNull();
    const again = await call(server, member, 'POST', '/spaces/check-ins/check-out', {});
    expect([again.status, fieldsOf(again)]).toEqual([404, ['memberId']]);
    expect((await call(server, viewer, 'POST', '/spaces/check-ins', {})).status).toBe(403);

    // Door systems check people in with an ingest key, naming the member.
    const door = await createApiKey(server, owner, 'ingest');
    const anonymous = await call(server, door, 'POST', '/spaces/check-ins', {});
    expect([anonymous.status, fieldsOf(anonymous)]).toEqual([400, ['memberId']]);
    const byDoor = await ok(server, door, 'POST', '/spaces/check-ins', { memberId: profile.id });
    expect(byDoor.checkIn).toMatchObject({ memberId: profile.id, roomId: null, floorId: null });

    // Events: check-ins into meeting 1, the gathering, the building (3); check-outs of the
    // first (by the second check-in) and of the second (by check-out) (2).
    const checkIns = await ok(server, owner, 'GET', '/events?type=space.check_in');
    expect(
      checkIns.items.map((e: { properties: { roomId: string | null } }) => e.properties.roomId),
    ).toEqual([null, tower.rooms[1]?.hall, tower.rooms[0]?.meeting]);
    expect(checkIns.items[1]).toMatchObject({
      id: `space.check_in:${second.checkIn.id}`,
      userId: profile.id,
      timestamp: iso(now),
      properties: { gatheringId: gathering.id, floor: 2, tags: ['art'] },
    });
    const checkOuts = await ok(server, owner, 'GET', '/events?type=space.check_out');
    expect(checkOuts.items.map((e: { id: string }) => e.id)).toEqual([
      `space.check_out:${second.checkIn.id}`,
      `space.check_out:${first.checkIn.id}`,
    ]);

    // The tower feed stored every write in order: the gathering, the first check-in, the second
    // (closing the first), the check-out and the door's check-in. The spaces cache generation
    // moved on once per successful write (5; the refused ones changed nothing).
    const kinds = ['gathering', 'check_in', 'check_out', 'check_in', 'check_out', 'check_in'];
    expect(await announced()).toEqual(kinds);
    expect(await generation('spaces')).toBe(before.spaces + 5);
    // Check-ins also change the community graph (4 of the 5 writes; the gathering does not).
    expect(await generation('community')).toBe(before.community + 4);
  });

  it('leaves exactly one open check-in when a member checks in twice at once', async () => {
    const owner = await registerOwner(server);
    const tower = await buildTower(server, owner);
    const member = await join(server, owner, 'member');
    const profile = await profileOf(server, member);
    const rooms = [tower.rooms[0]?.meeting, tower.rooms[1]?.meeting];
    const both = await Promise.all(
      rooms.map((roomId) => ok(server, member, 'POST', '/spaces/check-ins', { roomId })),
    );
    // Whichever ran second closed the first one.
    const closed = both.map((answer) => answer.closed?.id).filter(Boolean);
    expect(closed).toHaveLength(1);
    const open = await ok(
      server,
      owner,
      'GET',
      `/spaces/check-ins?open=true&memberId=${profile.id}`,
    );
    expect(open.items).toHaveLength(1);
    expect(both.map((answer) => answer.checkIn.id)).toContain(open.items[0].id);
  });

  it('refuses overlapping bookings of a room with 409, also when two arrive at once', async () => {
    const owner = await registerOwner(server);
    const tower = await buildTower(server, owner);
    const member = await join(server, owner, 'member');
    const other = await join(server, owner, 'member');
    const mine = await profileOf(server, member);
    await profileOf(server, other);
    const roomId = tower.rooms[0]?.meeting;
    const day = Math.floor(Date.now() / (24 * HOUR)) * 24 * HOUR + 48 * HOUR;
    const book = (who: typeof member, from: number, to: number, extra: object = {}) =>
      call(server, who, 'POST', '/spaces/bookings', {
        roomId,
        startsAt: iso(day + from * HOUR),
        endsAt: iso(day + to * HOUR),
        ...extra,
      });

    const morning = await book(member, 10, 12);
    // 2 hours at 20 an hour.
    expect(morning.body).toMatchObject({ memberId: mine.id, pricePaid: 40, cancelledAt: null });
    const clash = await book(other, 11, 13);
    expect([clash.status, clash.body.data.domainCode, fieldsOf(clash)]).toEqual([
      409,
      'SLOT_TAKEN',
      ['startsAt'],
    ]);
    // Back to back is fine: [12, 13) does not overlap [10, 12).
    expect((await book(other, 12, 13)).status).toBe(200);
    // Another room is another room.
    const elsewhere = await call(server, other, 'POST', '/spaces/bookings', {
      roomId: tower.rooms[0]?.hall,
      startsAt: iso(day + 10 * HOUR),
      endsAt: iso(day + 11.5 * HOUR),
    });
    expect(elsewhere.body).toMatchObject({ pricePaid: 150 });

    const race = await Promise.all([book(member, 14, 15), book(other, 14.5, 15.5)]);
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);

    expect((await book(member, 16, 17, { pricePaid: 0 })).status).toBe(403);
    expect(
      (await call(server, other, 'DELETE', `/spaces/bookings/${morning.body.id}`)).status,
    ).toBe(403);
    const cancelled = await ok(server, member, 'DELETE', `/spaces/bookings/${morning.body.id}`);
    expect(cancelled.cancelledAt).not.toBeNull();
    expect((await book(other, 11, 12)).status).toBe(200);

    const listed = await ok(server, owner, 'GET', `/spaces/bookings?roomId=${roomId}`);
    // Live bookings of meeting 1 by start: 11–12, 12–13, and the race winner at 14 or 14:30.
    expect(listed.items.map((b: { startsAt: string }) => b.startsAt).slice(0, 2)).toEqual([
      iso(day + 11 * HOUR),
      iso(day + 12 * HOUR),
    ]);
    expect(listed.items).toHaveLength(3);
    const withCancelled = await ok(
      server,
      owner,
      'GET',
      `/spaces/bookings?roomId=${roomId}&includeCancelled=true`,
    );
    expect(withCancelled.items).toHaveLength(4);
  });
});
