import type { ScopedInsert, WorkspaceScope } from '@pulse/db';
import type { KeyCursor } from './spaces.cursor.js';

const BUILDING_COLUMNS = ['id', 'name', 'timezone', 'created_at'] as const;
const FLOOR_COLUMNS = ['id', 'building_id', 'number', 'name'] as const;

export function findBuilding(scope: WorkspaceScope, id: string) {
  return scope
    .selectFrom('buildings')
    .select(BUILDING_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listBuildings(
  scope: WorkspaceScope,
  page: { limit: number; after?: KeyCursor<string> },
) {
  let query = scope
    .selectFrom('buildings')
    .select(BUILDING_COLUMNS)
    .orderBy('name')
    .orderBy('id')
    .limit(page.limit + 1);
  const after = page.after;
  if (after) {
    query = query.where((eb) => eb(eb.refTuple('name', 'id'), '>', eb.tuple(after.key, after.id)));
  }
  return query.execute();
}

export function insertBuilding(scope: WorkspaceScope, values: ScopedInsert<'buildings'>) {
  return scope
    .insertInto('buildings', values)
    .returning(BUILDING_COLUMNS)
    .executeTakeFirstOrThrow();
}

export function updateBuilding(
  scope: WorkspaceScope,
  id: string,
  patch: { name?: string; timezone?: string },
) {
  return scope
    .updateTable('buildings')
    .set(patch)
    .where('id', '=', id)
    .returning(BUILDING_COLUMNS)
    .executeTakeFirst();
}

export function findFloor(scope: WorkspaceScope, id: string) {
  return scope.selectFrom('floors').select(FLOOR_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** By building, then number: a building's floors bottom to top. */
export function listFloors(
  scope: WorkspaceScope,
  filters: { buildingId?: string },
  page: { limit: number; after?: KeyCursor<number> },
) {
  let query = scope
    .selectFrom('floors')
    .select(FLOOR_COLUMNS)
    .orderBy('number')
    .orderBy('id')
    .limit(page.limit + 1);
  if (filters.buildingId) query = query.where('building_id', '=', filters.buildingId);
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      eb(eb.refTuple('number', 'id'), '>', eb.tuple(after.key, after.id)),
    );
  }
  return query.execute();
}

export function insertFloor(scope: WorkspaceScope, values: ScopedInsert<'floors'>) {
  return scope.insertInto('floors', values).returning(FLOOR_COLUMNS).executeTakeFirstOrThrow();
}

export function updateFloor(
  scope: WorkspaceScope,
  id: string,
  patch: { number?: number; name?: string },
) {
  return scope
    .updateTable('floors')
    .set(patch)
    .where('id', '=', id)
    .returning(FLOOR_COLUMNS)
    .executeTakeFirst();
}

export async function deleteRow(
  scope: WorkspaceScope,
  table: 'buildings' | 'floors' | 'rooms' | 'gatherings',
  id: string,
): Promise<boolean> {
  const result = await scope.deleteFrom(table).where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export type BuildingRow = NonNullable<Awaited<ReturnType<typeof findBuilding>>>;
export type FloorRow = NonNullable<Awaited<ReturnType<typeof findFloor>>>;
