import { type Executor, scopeTo, type WorkspaceScope } from '@pulse/db';
import { DAY, writeCalendar } from './spaces-seed/calendar.js';
import { type LoadCounts, noRows, SpacesLoader } from './spaces-seed/load.js';
import {
  membersByTopic,
  planConnections,
  planMembers,
  planTower,
  type SeedAccount,
  type SeedMember,
  type SeedRoom,
} from './spaces-seed/plan.js';
import { SeededRandom } from './spaces-seed/random.js';
import { SEED_SIZES, type SeedSizeName } from './spaces-seed/sizes.js';

export type { SeedAccount } from './spaces-seed/plan.js';
export { isSeedSize, SEED_SIZES, type SeedSizeName } from './spaces-seed/sizes.js';

export interface SpacesSeedOptions {
  workspaceId: string;
  size: SeedSizeName;
  /** Everything is placed relative to this moment (default: now, to the minute). */
  now?: number;
  /** Same seed, same building: names, calendar and counts repeat exactly. */
  seed?: string;
  /** Accounts that get the first member profiles (the demo's users). */
  accounts?: readonly SeedAccount[];
}

export interface SpacesSeedResult extends LoadCounts {
  created: boolean;
  floors: number;
  rooms: number;
  members: number;
  connections: number;
  durationMs: number;
}

// Rows per multi-row statement: large enough that round trips do not matter, small enough
// that one statement's arrays stay a few megabytes.
const CHUNK_ROWS = 25_000;
const MEMBER_CHUNK = 2_000;

/**
 * A demo tower for one workspace: 16 floors of rooms with floor-plan coordinates, members with
 * interests, eight weeks of gatherings (seven back, one ahead) with RSVPs, bookings and
 * check-ins following a daily and weekly rhythm, and explicit connections. Bulk-loaded in one
 * transaction, bypassing the API (which would take hours for the large size). Pulse events
 * are written for the check-ins and check-outs of the last 24 hours only, which keeps the
 * large seed fast while live and analytics views have today's activity. Idempotent: a
 * workspace that already has a building is left alone.
 */
export async function seedSpaces(
  db: Executor,
  options: SpacesSeedOptions,
): Promise<SpacesSeedResult> {
  const started = performance.now();
  const size = SEED_SIZES[options.size];
  const now = options.now ?? Math.floor(Date.now() / 60_000) * 60_000;
  const seed = options.seed ?? 'frontier-tower';
  const random = new SeededRandom(`${seed}:${options.size}`);
  // Ids come from their own stream, per workspace: two workspaces seeded alike share
  // everything but their primary keys.
  const ids = new SeededRandom(`${seed}:${options.size}:${options.workspaceId}`);
  const newId = () => ids.uuid();

  const { floors, rooms } = planTower(random, newId, size);
  const members = planMembers(random, newId, size, floors, now, options.accounts ?? []);
  const byTopic = membersByTopic(members);
  const connections = planConnections(random, size, members, byTopic);

  return scopeTo(db, options.workspaceId).transaction(async (scope) => {
    const existing = await scope.selectFrom('buildings').select('id').limit(1).executeTakeFirst();
    if (existing) return emptyResult(performance.now() - started);
    await insertTower(scope, newId(), floors, rooms);
    await insertMembers(scope, members, connections);
    const loader = new SpacesLoader(scope, { chunkRows: CHUNK_ROWS, eventsSince: now - DAY });
    await writeCalendar(random, size, { newId, rooms, members, byTopic }, now, loader, async () =>
      loader.flushIfFull(),
    );
    await loader.flush();
    return {
      created: true,
      floors: floors.length,
      rooms: rooms.length,
      members: members.length,
      connections: connections.length,
      ...loader.counts,
      durationMs: Math.round(performance.now() - started),
    };
  });
}

async function insertTower(
  scope: WorkspaceScope,
  buildingId: string,
  floors: ReturnType<typeof planTower>['floors'],
  rooms: readonly SeedRoom[],
): Promise<void> {
  await scope
    .insertInto('buildings', { id: buildingId, name: 'Frontier Tower', timezone: 'UTC' })
    .execute();
  await scope
    .insertInto(
      'floors',
      floors.map((f) => ({ id: f.id, building_id: buildingId, number: f.number, name: f.name })),
    )
    .execute();
  for (let i = 0; i < rooms.length; i += MEMBER_CHUNK) {
    await scope
      .insertInto(
        'rooms',
        rooms.slice(i, i + MEMBER_CHUNK).map((r) => ({
          id: r.id,
          floor_id: r.floor.id,
          name: r.name,
          kind: r.kind.kind,
          capacity: r.capacity,
          x: r.x,
          y: r.y,
          width: r.kind.width,
          height: r.kind.height,
          amenities: [...r.kind.amenities],
          hourly_price: r.hourlyPrice,
        })),
      )
      .execute();
  }
}

async function insertMembers(
  scope: WorkspaceScope,
  members: readonly SeedMember[],
  connections: readonly [string, string][],
): Promise<void> {
  for (let i = 0; i < members.length; i += MEMBER_CHUNK) {
    await scope
      .insertInto(
        'members',
        members.slice(i, i + MEMBER_CHUNK).map((m) => ({
          id: m.id,
          user_id: m.userId,
          name: m.name,
          headline: m.headline,
          interests: m.interests,
          home_floor_id: m.homeFloor.id,
          joined_at: m.joinedAt,
        })),
      )
      .execute();
  }
  for (let i = 0; i < connections.length; i += MEMBER_CHUNK) {
    await scope
      .insertInto(
        'member_connections',
        connections.slice(i, i + MEMBER_CHUNK).map(([a, b]) => ({ member_a: a, member_b: b })),
      )
      .execute();
  }
}

function emptyResult(durationMs: number): SpacesSeedResult {
  const counts = { floors: 0, rooms: 0, members: 0, connections: 0, ...noRows() };
  return { created: false, ...counts, durationMs: Math.round(durationMs) };
}
