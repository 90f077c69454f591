import { createPulseClient, pulseErrorCode } from '@pulse/sdk';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { join, registerOwner } from './accounts.js';
import { uniqueEmail, useTestServer } from './harness.js';
import { buildTower, call, fieldsOf, HOUR, iso, ok, profileOf } from './spaces.support.js';

describe('spaces: buildings, floors, rooms and gatherings', () => {
  const server = useTestServer();

  it('admins build a tower over REST; lists filter and page without gaps or repeats', async () => {
    const owner = await registerOwner(server);
    const tower = await buildTower(server, owner);

    const floors = await ok(server, owner, 'GET', `/spaces/floors?buildingId=${tower.buildingId}`);
    expect(floors.items.map((f: { number: number }) => f.number)).toEqual([1, 2]);

    const room = await ok(server, owner, 'GET', `/spaces/rooms/${tower.rooms[0]?.meeting}`);
    expect(room).toMatchObject({
      floorId: tower.floorIds[0],
      kind: 'meeting',
      capacity: 10,
      x: 0,
      width: 4,
      height: 3,
      // Stored lower-case, in the order given.
      amenities: ['screen', 'whiteboard'],
      hourlyPrice: 20,
    });

    const halls = await ok(server, owner, 'GET', '/spaces/rooms?kind=event');
    expect(halls.items.map((r: { name: string }) => r.name)).toEqual(['Hall 1', 'Hall 2']);
    const big = await ok(server, owner, 'GET', '/spaces/rooms?minCapacity=11');
    expect(big.items).toHaveLength(2);
    const screens = await ok(server, owner, 'GET', '/spaces/rooms?amenity=SCREEN');
    expect(screens.items.map((r: { name: string }) => r.name)).toEqual(['Meeting 1', 'Meeting 2']);
    const floorTwo = await ok(server, owner, 'GET', `/spaces/rooms?floorId=${tower.floorIds[1]}`);
    expect(floorTwo.items.map((r: { name: string }) => r.name)).toEqual(['Hall 2', 'Meeting 2']);

    // Four rooms by name, three pages of at most two (the last one empty is never served).
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await ok(server, owner, 'GET', `/spaces/rooms?limit=2${query}`);
      seen.push(...page.items.map((r: { name: string }) => r.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Hall 1', 'Hall 2', 'Meeting 1', 'Meeting 2']);

    const moved = await ok(server, owner, 'PATCH', `/spaces/rooms/${tower.rooms[0]?.meeting}`, {
      floorId: tower.floorIds[1],
      capacity: 12,
    });
    expect(moved).toMatchObject({ floorId: tower.floorIds[1], capacity: 12, name: 'Meeting 1' });

    // A floor's number is unique in its building.
    const clash = await call(server, owner, 'POST', '/spaces/floors', {
      buildingId: tower.buildingId,
      number: 2,
      name: 'Again',
    });
    expect(clash.status).toBe(409);
    expect(clash.body.data).toMatchObject({ domainCode: 'ALREADY_EXISTS' });
    expect(fieldsOf(clash)).toEqual(['number']);

    // Removing a floor removes its rooms.
    await ok(server, owner, 'DELETE', `/spaces/floors/${tower.floorIds[0]}`);
    expect((await call(server, owner, 'GET', `/spaces/rooms/${tower.rooms[0]?.hall}`)).status).toBe(
      404,
    );
    const left = await ok(server, owner, 'GET', '/spaces/rooms');
    expect(left.items.map((r: { name: string }) => r.name)).toEqual([
      'Hall 2',
      'Meeting 1',
      'Meeting 2',
    ]);
  });

  it('refuses bad input with 400s that name the field', async () => {
    const owner = await registerOwner(server);
    const tower = await buildTower(server, owner);
    const floorId = tower.floorIds[0];
    const cases: [string, string, unknown, string[]][] = [
      ['POST', '/spaces/buildings', { name: 'X', timezone: 'Mars/Olympus' }, ['timezone']],
      ['POST', '/spaces/buildings', { name: '' }, ['name']],
      ['POST', '/spaces/rooms', { floorId, name: 'R', kind: 'meeting', capacity: 0 }, ['capacity']],
      ['POST', '/spaces/rooms', { floorId, name: 'R', kind: 'Big Room', capacity: 5 }, ['kind']],
      [
        'POST',
        '/spaces/rooms',
        { floorId, name: 'R', kind: 'desk', capacity: 5, width: 0 },
        ['width'],
      ],
      [
        'POST',
        '/spaces/rooms',
        { floorId, name: 'R', kind: 'desk', capacity: 5, colour: 'red' },
        ['colour'],
      ],
      [
        'POST',
        '/spaces/rooms',
        { floorId: 'nope', name: 'R', kind: 'desk', capacity: 5 },
        ['floorId'],
      ],
      ['GET', '/spaces/rooms?cursor=garbage', undefined, ['cursor']],
      ['GET', '/spaces/gatherings?from=yesterday', undefined, ['from']],
    ];
    for (const [method, path, body, fields] of cases) {
      const response = await call(server, owner, method, path, body);
      expect(response.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(fieldsOf(response)).toEqual(fields);
    }

    const start = Date.now() + HOUR;
    const gathering = (overrides: object) =>
      call(server, owner, 'POST', '/spaces/gatherings', {
        roomId: tower.rooms[0]?.meeting,
        title: 'Talk',
        startsAt: iso(start),
        endsAt: iso(start + HOUR),
        ...overrides,
      });
    const backwards = await gathering({ endsAt: iso(start - HOUR) });
    expect([backwards.status, fieldsOf(backwards)]).toEqual([400, ['endsAt']]);
    const tooMany = await gathering({ capacity: 11 });
    expect([tooMany.status, fieldsOf(tooMany)]).toEqual([400, ['capacity']]);
    const noRoom = await gathering({ roomId: '00000000-0000-4000-8000-000000000000' });
    expect([noRoom.status, fieldsOf(noRoom)]).toEqual([404, ['roomId']]);
  });

  it('admins manage the building, members host their own gatherings, viewers read', async () => {
    const owner = await registerOwner(server);
    const tower = await buildTower(server, owner);
    const member = await join(server, owner, 'member');
    const other = await join(server, owner, 'member');
    const viewer = await join(server, owner, 'viewer');
    const roomId = tower.rooms[0]?.hall;

    for (const [method, path, body] of [
      ['POST', '/spaces/buildings', { name: 'Mine' }],
      [
        'POST',
        '/spaces/rooms',
        { floorId: tower.floorIds[0], name: 'R', kind: 'desk', capacity: 1 },
      ],
      ['PATCH', `/spaces/rooms/${roomId}`, { capacity: 99 }],
      ['DELETE', `/spaces/floors/${tower.floorIds[0]}`, undefined],
    ] as const) {
      expect((await call(server, member, method, path, body)).status, `${method} ${path}`).toBe(
        403,
      );
    }
    expect((await call(server, viewer, 'GET', '/spaces/rooms')).status).toBe(200);

    const start = Date.now() + 2 * HOUR;
    const talk = {
      roomId,
      title: 'Robots',
      tags: ['Robotics'],
      startsAt: iso(start),
      endsAt: iso(start + HOUR),
    };
    // A member hosts as their profile, so they need one first.
    const early = await call(server, member, 'POST', '/spaces/gatherings', talk);
    expect([early.status, fieldsOf(early)]).toEqual([404, ['hostMemberId']]);
    const profile = await profileOf(server, member);
    const otherProfile = await profileOf(server, other);
    const hosted = await ok(server, member, 'POST', '/spaces/gatherings', talk);
    expect(hosted).toMatchObject({
      hostMemberId: profile.id,
      tags: ['robotics'],
      capacity: 50,
      going: 0,
    });
    const forSomeoneElse = await call(server, member, 'POST', '/spaces/gatherings', {
      ...talk,
      hostMemberId: otherProfile.id,
    });
    expect(forSomeoneElse.status).toBe(403);

    expect(
      (await call(server, other, 'PATCH', `/spaces/gatherings/${hosted.id}`, { title: 'Mine' }))
        .status,
    ).toBe(403);
    expect((await call(server, viewer, 'DELETE', `/spaces/gatherings/${hosted.id}`)).status).toBe(
      403,
    );
    const renamed = await ok(server, member, 'PATCH', `/spaces/gatherings/${hosted.id}`, {
      title: 'Robots II',
    });
    expect(renamed.title).toBe('Robots II');
    const handedOver = await ok(server, owner, 'PATCH', `/spaces/gatherings/${hosted.id}`, {
      hostMemberId: otherProfile.id,
    });
    expect(handedOver.hostMemberId).toBe(otherProfile.id);
    expect((await call(server, member, 'DELETE', `/spaces/gatherings/${hosted.id}`)).status).toBe(
      403,
    );
    await ok(server, other, 'DELETE', `/spaces/gatherings/${hosted.id}`);
    expect((await call(server, owner, 'GET', `/spaces/gatherings/${hosted.id}`)).status).toBe(404);
  });

  it('filters gatherings by floor, room, tag and time range', async () => {
    const owner = await registerOwner(server);
    const tower = await buildTower(server, owner);
    const base = Math.floor(Date.now() / HOUR) * HOUR + 24 * HOUR;
    const plan = [
      { title: 'A', roomId: tower.rooms[0]?.meeting, tags: ['ai'], at: 0 },
      { title: 'B', roomId: tower.rooms[0]?.hall, tags: ['ai', 'art'], at: 2 },
      { title: 'C', roomId: tower.rooms[1]?.hall, tags: ['art'], at: 4 },
      { title: 'D', roomId: tower.rooms[1]?.meeting, tags: ['crypto'], at: 6 },
    ];
    for (const g of plan) {
      await ok(server, owner, 'POST', '/spaces/gatherings', {
        roomId: g.roomId,
        title: g.title,
        tags: g.tags,
        startsAt: iso(base + g.at * HOUR),
        endsAt: iso(base + (g.at + 1) * HOUR),
      });
    }
    const titles = async (query: string) =>
      (await ok(server, owner, 'GET', `/spaces/gatherings?${query}`)).items.map(
        (g: { title: string }) => g.title,
      );
    expect(await titles(`floorId=${tower.floorIds[0]}`)).toEqual(['A', 'B']);
    expect(await titles(`roomId=${tower.rooms[1]?.hall}`)).toEqual(['C']);
    expect(await titles('tag=art')).toEqual(['B', 'C']);
    // [base+2h30, base+6h) overlaps B (ends base+3h) and C (base+4h..5h); D starts at base+6h.
    const from = encodeURIComponent(iso(base + 2.5 * HOUR));
    const to = encodeURIComponent(iso(base + 6 * HOUR));
    expect(await titles(`from=${from}&to=${to}`)).toEqual(['B', 'C']);
    expect(await titles(`tag=ai&limit=1`)).toEqual(['A']);
  });

  it('keeps every workspace in its own building (404, empty lists)', async () => {
    const owner = await registerOwner(server);
    const tower = await buildTower(server, owner);
    const stranger = await registerOwner(server, 'stranger');
    await profileOf(server, stranger);

    for (const path of [
      `/spaces/buildings/${tower.buildingId}`,
      `/spaces/floors/${tower.floorIds[0]}`,
      `/spaces/rooms/${tower.rooms[0]?.hall}`,
    ]) {
      expect((await call(server, stranger, 'GET', path)).status, path).toBe(404);
      expect((await call(server, stranger, 'DELETE', path)).status, path).toBe(404);
    }
    expect((await ok(server, stranger, 'GET', '/spaces/rooms')).items).toEqual([]);
    expect((await ok(server, stranger, 'GET', '/spaces/buildings')).items).toEqual([]);
    const foreignFloor = await call(server, stranger, 'POST', '/spaces/floors', {
      buildingId: tower.buildingId,
      number: 9,
      name: 'Nine',
    });
    expect([foreignFloor.status, fieldsOf(foreignFloor)]).toEqual([404, ['buildingId']]);
    const foreignRoom = await call(server, stranger, 'POST', '/spaces/check-ins', {
      roomId: tower.rooms[0]?.hall,
    });
    expect([foreignRoom.status, fieldsOf(foreignRoom)]).toEqual([404, ['roomId']]);
    // Nor does anything that happens in the building leak: gatherings, bookings, check-ins.
    await profileOf(server, owner);
    const start = Date.now() + HOUR;
    const gathering = await ok(server, owner, 'POST', '/spaces/gatherings', {
      roomId: tower.rooms[0]?.hall,
      title: 'Private',
      startsAt: iso(start),
      endsAt: iso(start + HOUR),
    });
    const booking = await ok(server, owner, 'POST', '/spaces/bookings', {
      roomId: tower.rooms[0]?.meeting,
      startsAt: iso(start),
      endsAt: iso(start + HOUR),
    });
    const { checkIn } = await ok(server, owner, 'POST', '/spaces/check-ins', {});
    for (const path of [
      `/spaces/gatherings/${gathering.id}`,
      `/spaces/gatherings/${gathering.id}/rsvps`,
      `/spaces/bookings/${booking.id}`,
      `/spaces/check-ins/${checkIn.id}`,
    ]) {
      expect((await call(server, stranger, 'GET', path)).status, path).toBe(404);
    }
    for (const path of ['/spaces/gatherings', '/spaces/bookings', '/spaces/check-ins']) {
      expect((await ok(server, stranger, 'GET', path)).items, path).toEqual([]);
    }
    const foreignRsvp = await call(
      server,
      stranger,
      'PUT',
      `/spaces/gatherings/${gathering.id}/rsvp`,
      {
        status: 'going',
      },
    );
    expect([foreignRsvp.status, fieldsOf(foreignRsvp)]).toEqual([404, ['gatheringId']]);
    const foreignBooking = await call(server, stranger, 'POST', '/spaces/bookings', {
      roomId: tower.rooms[0]?.hall,
      startsAt: iso(start),
      endsAt: iso(start + HOUR),
    });
    expect([foreignBooking.status, fieldsOf(foreignBooking)]).toEqual([404, ['roomId']]);
    expect((await call(server, stranger, 'DELETE', `/spaces/bookings/${booking.id}`)).status).toBe(
      404,
    );
    // The owner still sees everything intact.
    expect((await ok(server, owner, 'GET', '/spaces/rooms')).items).toHaveLength(4);
    expect(
      (await ok(server, owner, 'GET', `/spaces/bookings/${booking.id}`)).cancelledAt,
    ).toBeNull();
  });

  it('serves the same CRUD to the SDK', async () => {
    const client = createPulseClient({ url: server.url, WebSocket });
    await client.register({
      email: uniqueEmail('sdk'),
      password: 'sdk-spaces-password',
      name: 'Sam',
    });
    const api = client.api.spaces;
    const building = await api.buildings.create.mutate({
      name: 'SDK Tower',
      timezone: 'Europe/Berlin',
    });
    const floor = await api.floors.create.mutate({
      buildingId: building.id,
      number: 4,
      name: 'Four',
    });
    const room = await api.rooms.create.mutate({
      floorId: floor.id,
      name: 'Lab',
      kind: 'lab',
      capacity: 8,
    });
    expect(room).toMatchObject({ x: 0, y: 0, width: 1, height: 1, amenities: [], hourlyPrice: 0 });
    const start = Date.now() + HOUR;
    const gathering = await api.gatherings.create.mutate({
      roomId: room.id,
      title: 'Wet lab hours',
      tags: ['biotech'],
      startsAt: iso(start),
      endsAt: iso(start + HOUR),
      price: 12.5,
    });
    expect(gathering).toMatchObject({
      floorId: floor.id,
      price: 12.5,
      capacity: 8,
      hostMemberId: null,
    });
    const listed = await api.gatherings.list.query({ tag: 'biotech' });
    expect(listed.items.map((g) => g.id)).toEqual([gathering.id]);
    const failure = await api.rooms.get.query({ id: floor.id }).catch((error: unknown) => error);
    expect(pulseErrorCode(failure)).toBe('NOT_FOUND');
    await client.close();
  });
});
