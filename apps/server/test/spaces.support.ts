import { expect } from 'vitest';
import type { Account } from './accounts.js';
import { rest, type TestServer } from './harness.js';

// Shared by the spaces and community tests: calls as an account, and a small hand-built tower.

export type Caller = Account | string;

const tokenOf = (caller: Caller) => (typeof caller === 'string' ? caller : caller.accessToken);

export function call(
  server: TestServer,
  caller: Caller,
  method: string,
  path: string,
  body?: unknown,
) {
  return rest(server, method, path, { token: tokenOf(caller), body });
}

/** The JSON body of a call that must succeed. */
export async function ok(
  server: TestServer,
  caller: Caller,
  method: string,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary JSON bodies.
): Promise<any> {
  const response = await call(server, caller, method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(200);
  return response.body;
}

/** The fields an error response names. */
export function fieldsOf(response: { body: { data?: { issues?: { path: string }[] } } }) {
  return (response.body.data?.issues ?? []).map((issue) => issue.path);
}

export interface Tower {
  buildingId: string;
  floorIds: string[];
  /** Per floor: a 10-seat meeting room and a 50-seat event hall. */
  rooms: { meeting: string; hall: string }[];
}

/** Two floors, two rooms each: small enough to reason about by hand. */
export async function buildTower(
  server: TestServer,
  admin: Caller,
  name = 'Tower',
): Promise<Tower> {
  const building = await ok(server, admin, 'POST', '/spaces/buildings', { name, timezone: 'UTC' });
  const floorIds: string[] = [];
  const rooms: Tower['rooms'] = [];
  for (const number of [1, 2]) {
    const floor = await ok(server, admin, 'POST', '/spaces/floors', {
      buildingId: building.id,
      number,
      name: `Floor ${number}`,
    });
    floorIds.push(floor.id);
    const meeting = await ok(server, admin, 'POST', '/spaces/rooms', {
      floorId: floor.id,
      name: `Meeting ${number}`,
      kind: 'meeting',
      capacity: 10,
      x: 0,
      y: 0,
      width: 4,
      height: 3,
      amenities: ['Screen', 'whiteboard'],
      hourlyPrice: 20,
    });
    const hall = await ok(server, admin, 'POST', '/spaces/rooms', {
      floorId: floor.id,
      name: `Hall ${number}`,
      kind: 'event',
      capacity: 50,
      x: 4,
      y: 0,
      width: 10,
      height: 8,
      hourlyPrice: 100,
    });
    rooms.push({ meeting: meeting.id, hall: hall.id });
  }
  return { buildingId: building.id, floorIds, rooms };
}

/** A member profile for an account (created through PATCH /community/members/me). */
export async function profileOf(server: TestServer, account: Account, interests: string[] = []) {
  return ok(server, account, 'PATCH', '/community/members/me', { interests });
}

export const HOUR = 3_600_000;
export const iso = (ms: number) => new Date(ms).toISOString();
