import type { ScopedInsert, WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';
import { MAX_GATHERING_DAYS } from './gatherings.contract.js';
import type { KeyCursor } from './spaces.cursor.js';

const rsvpCount = (status: 'going' | 'interested') =>
  sql<number>`(select count(*)::int from rsvps r
    where r.workspace_id = gatherings.workspace_id and r.gathering_id = gatherings.id
      and r.status = ${status})`.as(status);

/** A gathering with its room's floor (id and number), its effective capacity and its RSVP counts. */
function gatheringsWithRoom(scope: WorkspaceScope) {
  return scope
    .selectFrom('gatherings')
    .innerJoin('rooms', (join) =>
      join
        .onRef('rooms.workspace_id', '=', 'gatherings.workspace_id')
        .onRef('rooms.id', '=', 'gatherings.room_id'),
    )
    .innerJoin('floors', (join) =>
      join
        .onRef('floors.workspace_id', '=', 'rooms.workspace_id')
        .onRef('floors.id', '=', 'rooms.floor_id'),
    )
    .select([
      'gatherings.id',
      'gatherings.room_id',
      'rooms.floor_id',
      'floors.number as floor_number',
      'gatherings.host_member_id',
      'gatherings.title',
      'gatherings.description',
      'gatherings.tags',
      'gatherings.starts_at',
      'gatherings.ends_at',
      'gatherings.capacity as own_capacity',
      sql<number>`coalesce(gatherings.capacity, rooms.capacity)`.as('capacity'),
      'gatherings.price',
      rsvpCount('going'),
      rsvpCount('interested'),
    ]);
}

export function findGathering(scope: WorkspaceScope, id: string) {
  return gatheringsWithRoom(scope).where('gatherings.id', '=', id).executeTakeFirst();
}

/** Locks the gathering row: RSVPs against its capacity are decided one after the other. */
export async function lockGathering(scope: WorkspaceScope, id: string) {
  const locked = await scope
    .selectFrom('gatherings')
    .select('id')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return locked ? findGathering(scope, id) : undefined;
}

export interface GatheringFilters {
  floorId?: string;
  roomId?: string;
  hostMemberId?: string;
  /** Gatherings this member answered going or interested. */
  attendeeId?: string;
  tag?: string;
  from?: Date;
  to?: Date;
}

/** By start time; `from`/`to` keep the gatherings overlapping [from, to). */
export function listGatherings(
  scope: WorkspaceScope,
  filters: GatheringFilters,
  page: { limit: number; after?: KeyCursor<string> },
) {
  let query = gatheringsWithRoom(scope)
    .orderBy('gatherings.starts_at')
    .orderBy('gatherings.id')
    .limit(page.limit + 1);
  if (filters.floorId) query = query.where('rooms.floor_id', '=', filters.floorId);
  if (filters.roomId) query = query.where('gatherings.room_id', '=', filters.roomId);
  if (filters.hostMemberId)
    query = query.where('gatherings.host_member_id', '=', filters.hostMemberId);
  const attendeeId = filters.attendeeId;
  if (attendeeId) {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('rsvps')
          .select('rsvps.member_id')
          .whereRef('rsvps.workspace_id', '=', 'gatherings.workspace_id')
          .whereRef('rsvps.gathering_id', '=', 'gatherings.id')
          .where('rsvps.member_id', '=', attendeeId)
          .where('rsvps.status', 'in', ['going', 'interested']),
      ),
    );
  }
  if (filters.tag)
    query = query.where(sql<boolean>`gatherings.tags @> array[${filters.tag}]::text[]`);
  const from = filters.from;
  if (from) {
    // Nothing lasts longer than MAX_GATHERING_DAYS days, which bounds the start-time index scan.
    const earliestStart = new Date(from.getTime() - MAX_GATHERING_DAYS * 86_400_000);
    query = query
      .where('gatherings.ends_at', '>', from)
      .where('gatherings.starts_at', '>', earliestStart);
  }
  if (filters.to) query = query.where('gatherings.starts_at', '<', filters.to);
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      eb(
        eb.refTuple('gatherings.starts_at', 'gatherings.id'),
        '>',
        eb.tuple(new Date(after.key), after.id),
      ),
    );
  }
  return query.execute();
}

export async function insertGathering(scope: WorkspaceScope, values: ScopedInsert<'gatherings'>) {
  const { id } = await scope
    .insertInto('gatherings', values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export type GatheringPatch = Partial<Omit<ScopedInsert<'gatherings'>, 'id' | 'created_at'>>;

export async function updateGathering(scope: WorkspaceScope, id: string, patch: GatheringPatch) {
  await scope.updateTable('gatherings').set(patch).where('id', '=', id).execute();
}

export type GatheringRow = NonNullable<Awaited<ReturnType<typeof findGathering>>>;
