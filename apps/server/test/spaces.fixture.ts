import { scopeTo, type WorkspaceScope } from '@pulse/db';
import { createPulseClient } from '@pulse/sdk';
import WebSocket from 'ws';
import { type TestServer, uniqueEmail } from './harness.js';

// Hand-built buildings for the spaces intelligence tests, written straight to the tables so
// each test states exactly which rows exist.

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

export const ago = (ms: number, from = Date.now()) => new Date(from - ms);
export const later = (ms: number, from = Date.now()) => new Date(from + ms);

/** A new workspace through the SDK: its client, access token and a scope on its tables. */
export async function newWorkspace(server: TestServer, name = 'Spaces Co') {
  const client = createPulseClient({ url: server.url, WebSocket });
  const session = await client.register({
    email: uniqueEmail('spaces'),
    password: 'spaces-test-password',
    name,
    workspaceName: name,
  });
  const scope = scopeTo(server.app.pulse.database.db, session.workspace.id);
  return {
    client,
    token: session.accessToken,
    userId: session.user.id,
    workspaceId: session.workspace.id,
    scope,
  };
}

export type Workspace = Awaited<ReturnType<typeof newWorkspace>>;

async function insertOne(scope: WorkspaceScope, table: string, row: object): Promise<string> {
  const inserted = await scope
    .insertInto(table as 'buildings', row as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(inserted.id);
}

export const building = (scope: WorkspaceScope, name = 'Tower', timezone = 'UTC') =>
  insertOne(scope, 'buildings', { name, timezone });

export const floor = (
  scope: WorkspaceScope,
  buildingId: string,
  number: number,
  name = `Floor ${number}`,
) => insertOne(scope, 'floors', { building_id: buildingId, number, name });

export const room = (
  scope: WorkspaceScope,
  floorId: string,
  values: { name: string; capacity: number; hourlyPrice?: number; kind?: string; x?: number },
) =>
  insertOne(scope, 'rooms', {
    floor_id: floorId,
    name: values.name,
    kind: values.kind ?? 'meeting',
    capacity: values.capacity,
    hourly_price: values.hourlyPrice ?? 0,
    x: values.x ?? 0,
    y: 0,
    width: 4,
    height: 3,
  });

export const member = (
  scope: WorkspaceScope,
  name: string,
  values: { interests?: string[]; userId?: string; homeFloorId?: string } = {},
) =>
  insertOne(scope, 'members', {
    name,
    interests: values.interests ?? [],
    user_id: values.userId ?? null,
    home_floor_id: values.homeFloorId ?? null,
  });

/** A building with one 50-seat hall on floor 1 and members a, b, c and d. */
export async function hallWithFourMembers(
  scope: WorkspaceScope,
): Promise<{ roomId: string; members: [string, string, string, string] }> {
  const roomId = await room(scope, await floor(scope, await building(scope), 1), {
    name: 'Hall',
    capacity: 50,
  });
  const [a, b, c, d] = await Promise.all(['a', 'b', 'c', 'd'].map((name) => member(scope, name)));
  if (!a || !b || !c || !d) throw new Error('members not created');
  return { roomId, members: [a, b, c, d] };
}

export const gathering = (
  scope: WorkspaceScope,
  roomId: string,
  values: {
    title: string;
    tags?: string[];
    startsAt: Date;
    endsAt: Date;
    price?: number;
    capacity?: number;
  },
) =>
  insertOne(scope, 'gatherings', {
    room_id: roomId,
    title: values.title,
    tags: values.tags ?? [],
    starts_at: values.startsAt,
    ends_at: values.endsAt,
    price: values.price ?? 0,
    capacity: values.capacity ?? null,
  });

export async function rsvp(
  scope: WorkspaceScope,
  gatheringId: string,
  memberIds: string[],
  status = 'going',
) {
  await scope
    .insertInto(
      'rsvps',
      memberIds.map((memberId) => ({
        gathering_id: gatheringId,
        member_id: memberId,
        status: status as 'going',
      })),
    )
    .execute();
}

export async function checkIn(
  scope: WorkspaceScope,
  memberId: string,
  values: { roomId?: string; gatheringId?: string; at: Date; out?: Date },
) {
  await scope
    .insertInto('check_ins', {
      member_id: memberId,
      room_id: values.roomId ?? null,
      gathering_id: values.gatheringId ?? null,
      checked_in_at: values.at,
      checked_out_at: values.out ?? null,
    })
    .execute();
}

export const booking = (
  scope: WorkspaceScope,
  roomId: string,
  values: { startsAt: Date; endsAt: Date; price: number; cancelled?: boolean },
) =>
  insertOne(scope, 'room_bookings', {
    room_id: roomId,
    starts_at: values.startsAt,
    ends_at: values.endsAt,
    price_paid: values.price,
    cancelled_at: values.cancelled ? values.startsAt : null,
  });

export async function connect(scope: WorkspaceScope, one: string, other: string) {
  const [a, b] = one < other ? [one, other] : [other, one];
  await scope.insertInto('member_connections', { member_a: a, member_b: b }).execute();
}

/** Midnight UTC of the day holding `at`. */
export const utcDayStart = (at = Date.now()) => Math.floor(at / DAY) * DAY;

/**
 * Every attendance row of the workspace (going RSVPs and check-ins of a gathering, a row each)
 * with its gathering's start: what the kept attendance tables are recounted from in tests.
 */
export async function attendanceWithStarts(
  scope: WorkspaceScope,
): Promise<{ memberId: string; gatheringId: string; startsAt: Date }[]> {
  const starts = new Map(
    (await scope.selectFrom('gatherings').select(['id', 'starts_at']).execute()).map((g) => [
      g.id,
      new Date(g.starts_at),
    ]),
  );
  const rows = [
    ...(await scope
      .selectFrom('rsvps')
      .select(['member_id', 'gathering_id'])
      .where('status', '=', 'going')
      .execute()),
    ...(await scope.selectFrom('check_ins').select(['member_id', 'gathering_id']).execute()),
  ];
  return rows.flatMap(({ member_id, gathering_id }) => {
    const startsAt = gathering_id ? starts.get(gathering_id) : undefined;
    return gathering_id && startsAt
      ? [{ memberId: member_id, gatheringId: gathering_id, startsAt }]
      : [];
  });
}
