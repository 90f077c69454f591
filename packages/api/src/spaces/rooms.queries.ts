import type { ScopedInsert, WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';
import type { KeyCursor } from './spaces.cursor.js';

const ROOM_COLUMNS = [
  'id',
  'floor_id',
  'name',
  'kind',
  'capacity',
  'x',
  'y',
  'width',
  'height',
  'amenities',
  'hourly_price',
] as const;

export function findRoom(scope: WorkspaceScope, id: string) {
  return scope.selectFrom('rooms').select(ROOM_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** Locks the room row: bookings of one room are decided one after the other. */
export function lockRoom(scope: WorkspaceScope, id: string) {
  return scope
    .selectFrom('rooms')
    .select(ROOM_COLUMNS)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export interface RoomFilters {
  floorId?: string;
  kind?: string;
  minCapacity?: number;
  amenity?: string;
}

export function listRooms(
  scope: WorkspaceScope,
  filters: RoomFilters,
  page: { limit: number; after?: KeyCursor<string> },
) {
  let query = scope
    .selectFrom('rooms')
    .select(ROOM_COLUMNS)
    .orderBy('name')
    .orderBy('id')
    .limit(page.limit + 1);
  if (filters.floorId) query = query.where('floor_id', '=', filters.floorId);
  if (filters.kind) query = query.where('kind', '=', filters.kind);
  if (filters.minCapacity) query = query.where('capacity', '>=', filters.minCapacity);
  if (filters.amenity) {
    query = query.where(sql<boolean>`amenities @> array[${filters.amenity}]::text[]`);
  }
  const after = page.after;
  if (after) {
    query = query.where((eb) => eb(eb.refTuple('name', 'id'), '>', eb.tuple(after.key, after.id)));
  }
  return query.execute();
}

export function insertRoom(scope: WorkspaceScope, values: ScopedInsert<'rooms'>) {
  return scope.insertInto('rooms', values).returning(ROOM_COLUMNS).executeTakeFirstOrThrow();
}

export type RoomPatch = Partial<Omit<ScopedInsert<'rooms'>, 'id' | 'created_at'>>;

export function updateRoom(scope: WorkspaceScope, id: string, patch: RoomPatch) {
  return scope
    .updateTable('rooms')
    .set(patch)
    .where('id', '=', id)
    .returning(ROOM_COLUMNS)
    .executeTakeFirst();
}

export type RoomRow = NonNullable<Awaited<ReturnType<typeof findRoom>>>;

/** A room with its floor's number: where a check-in happened, as events record it. */
export function findRoomPlace(scope: WorkspaceScope, id: string) {
  return scope
    .selectFrom('rooms')
    .innerJoin('floors', (join) =>
      join
        .onRef('floors.workspace_id', '=', 'rooms.workspace_id')
        .onRef('floors.id', '=', 'rooms.floor_id'),
    )
    .select(['rooms.id', 'rooms.floor_id', 'floors.number as floor_number'])
    .where('rooms.id', '=', id)
    .executeTakeFirst();
}
