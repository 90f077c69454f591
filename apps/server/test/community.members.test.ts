import { createPulseClient } from '@pulse/sdk';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { join, registerOwner } from './accounts.js';
import { useTestServer } from './harness.js';
import { buildTower, call, fieldsOf, HOUR, iso, ok, profileOf } from './spaces.support.js';

describe('community: members and their connections', () => {
  const server = useTestServer();

  it('members create and change their own profile; admins manage everyone', async () => {
    const owner = await registerOwner(server);
    const tower = await buildTower(server, owner);
    const member = await join(server, owner, 'member');
    const viewer = await join(server, owner, 'viewer');

    const none = await call(server, member, 'GET', '/community/members/me');
    expect(none.status).toBe(404);
    const created = await ok(server, member, 'PATCH', '/community/members/me', {
      headline: 'Builds robots',
      interests: ['Robotics', ' AI ', 'robotics'],
      homeFloorId: tower.floorIds[1],
    });
    // Named after the account on first save; interests trimmed, lower-cased, once each.
    expect(created).toMatchObject({
      userId: member.userId,
      name: member.name,
      headline: 'Builds robots',
      interests: ['robotics', 'ai'],
      homeFloorId: tower.floorIds[1],
    });
    expect(await ok(server, member, 'GET', '/community/members/me')).toEqual(created);
    const renamed = await ok(server, member, 'PATCH', `/community/members/${created.id}`, {
      name: 'Robo',
    });
    expect(renamed).toMatchObject({ id: created.id, name: 'Robo', headline: 'Builds robots' });

    const guest = await ok(server, owner, 'POST', '/community/members', {
      name: 'Guest Without Account',
      interests: ['art'],
      joinedAt: '2026-01-05T09:00:00.000Z',
    });
    expect(guest).toMatchObject({ userId: null, joinedAt: '2026-01-05T09:00:00.000Z' });
    expect(
      (await call(server, member, 'PATCH', `/community/members/${guest.id}`, { name: 'X' })).status,
    ).toBe(403);
    expect((await call(server, member, 'POST', '/community/members', { name: 'X' })).status).toBe(
      403,
    );
    expect(
      (await call(server, viewer, 'PATCH', '/community/members/me', { bio: 'hi' })).status,
    ).toBe(403);
    const twice = await call(server, owner, 'POST', '/community/members', {
      name: 'Again',
      userId: member.userId,
    });
    expect([twice.status, twice.body.data.domainCode, fieldsOf(twice)]).toEqual([
      409,
      'ALREADY_EXISTS',
      ['userId'],
    ]);
    const badFloor = await call(server, owner, 'POST', '/community/members', {
      name: 'Lost',
      homeFloorId: '00000000-0000-4000-8000-000000000000',
    });
    expect([badFloor.status, fieldsOf(badFloor)]).toEqual([404, ['homeFloorId']]);
    const noName = await call(server, owner, 'POST', '/community/members', { interests: ['x'] });
    expect([noName.status, fieldsOf(noName)]).toEqual([400, ['name']]);

    const names = async (query: string) =>
      (await ok(server, viewer, 'GET', `/community/members?${query}`)).items.map(
        (m: { name: string }) => m.name,
      );
    expect(await names('')).toEqual(['Guest Without Account', 'Robo']);
    expect(await names('interest=AI')).toEqual(['Robo']);
    expect(await names('search=without')).toEqual(['Guest Without Account']);
    expect(await names(`homeFloorId=${tower.floorIds[1]}`)).toEqual(['Robo']);
    const firstPage = await ok(server, viewer, 'GET', '/community/members?limit=1');
    const secondPage = await ok(
      server,
      viewer,
      'GET',
      `/community/members?limit=1&cursor=${firstPage.nextCursor}`,
    );
    expect([firstPage.items[0].name, secondPage.items[0].name, secondPage.nextCursor]).toEqual([
      'Guest Without Account',
      'Robo',
      null,
    ]);

    await ok(server, owner, 'DELETE', `/community/members/${guest.id}`);
    expect((await call(server, viewer, 'GET', `/community/members/${guest.id}`)).status).toBe(404);
  });

  it('stores a connection once per pair, whoever asks', async () => {
    const owner = await registerOwner(server);
    const [ann, ben, viewer] = [
      await join(server, owner, 'member'),
      await join(server, owner, 'member'),
      await join(server, owner, 'viewer'),
    ];
    const annP = await profileOf(server, ann);
    const benP = await profileOf(server, ben);
    const cy = await ok(server, owner, 'POST', '/community/members', { name: 'Cy' });
    const connect = (who: typeof ann, from: string, to: string) =>
      call(server, who, 'POST', `/community/members/${from}/connections`, { otherMemberId: to });

    expect((await connect(ann, annP.id, benP.id)).body).toMatchObject({
      created: true,
      connection: { memberId: benP.id },
    });
    expect((await connect(ben, benP.id, annP.id)).body).toMatchObject({
      created: false,
      connection: { memberId: annP.id },
    });
    expect((await connect(ann, benP.id, cy.id)).status).toBe(403);
    expect((await connect(viewer, annP.id, cy.id)).status).toBe(403);
    const self = await connect(ann, annP.id, annP.id);
    expect([self.status, fieldsOf(self)]).toEqual([400, ['otherMemberId']]);
    expect((await connect(owner, cy.id, annP.id)).body.created).toBe(true);

    const annsConnections = await ok(
      server,
      viewer,
      'GET',
      `/community/members/${annP.id}/connections`,
    );
    expect(annsConnections.items.map((c: { name: string }) => c.name)).toEqual(['Cy', ben.name]);
    const bens = await ok(server, viewer, 'GET', `/community/members/${benP.id}/connections`);
    expect(bens.items.map((c: { memberId: string }) => c.memberId)).toEqual([annP.id]);

    await ok(server, ben, 'DELETE', `/community/members/${benP.id}/connections/${annP.id}`);
    const gone = await call(
      server,
      ben,
      'DELETE',
      `/community/members/${benP.id}/connections/${annP.id}`,
    );
    expect([gone.status, fieldsOf(gone)]).toEqual([404, ['otherMemberId']]);
    expect(
      (await ok(server, viewer, 'GET', `/community/members/${annP.id}/connections`)).items,
    ).toHaveLength(1);

    // Another workspace sees none of it, and cannot connect to it.
    const stranger = await registerOwner(server, 'stranger');
    const strangerP = await profileOf(server, stranger);
    expect((await call(server, stranger, 'GET', `/community/members/${annP.id}`)).status).toBe(404);
    expect(
      (await ok(server, stranger, 'GET', '/community/members')).items.map(
        (m: { id: string }) => m.id,
      ),
    ).toEqual([strangerP.id]);
    const across = await connect(stranger, strangerP.id, annP.id);
    expect([across.status, fieldsOf(across)]).toEqual([404, ['otherMemberId']]);
  });

  it('shows a member where they are and what they are going to (SDK)', async () => {
    const owner = await registerOwner(server);
    const tower = await buildTower(server, owner);
    const member = await join(server, owner, 'member');
    const client = createPulseClient({ url: server.url, WebSocket });
    client.setTokens({ accessToken: member.accessToken, refreshToken: 'unused' });
    expect(await client.api.spaces.me.query()).toEqual({
      member: null,
      openCheckIn: null,
      upcoming: [],
    });

    const me = await client.api.community.members.updateMe.mutate({ interests: ['crypto'] });
    const start = Date.now() + HOUR;
    const [soon, past] = await Promise.all(
      [start, start - 5 * HOUR].map((at, i) =>
        ok(server, owner, 'POST', '/spaces/gatherings', {
          roomId: tower.rooms[0]?.hall,
          title: `Talk ${i}`,
          startsAt: iso(at),
          endsAt: iso(at + HOUR),
        }),
      ),
    );
    for (const gathering of [soon, past]) {
      await client.api.spaces.rsvps.set.mutate({ gatheringId: gathering.id, status: 'going' });
    }
    const { checkIn } = await client.api.spaces.checkIns.checkIn.mutate({
      roomId: tower.rooms[1]?.meeting,
    });
    const view = await client.api.spaces.me.query();
    expect(view.member?.id).toBe(me.id);
    expect(view.openCheckIn?.id).toBe(checkIn.id);
    // The gathering that ended four hours ago is not upcoming.
    expect(view.upcoming.map((g) => g.id)).toEqual([soon.id]);
    const listed = await client.api.community.members.list.query({ interest: 'crypto' });
    expect(listed.items.map((m) => m.id)).toEqual([me.id]);
    await client.close();
  });
});
