import type { WorkspaceContext } from '../auth/caller.js';
import { PulseError } from '../errors.js';
import type { BuildingDto, FloorDto, UpdateFloorInput } from './buildings.contract.js';
import {
  type BuildingRow,
  deleteRow,
  type FloorRow,
  findBuilding,
  findFloor,
  insertBuilding,
  insertFloor,
  listBuildings,
  listFloors,
  updateBuilding,
  updateFloor,
} from './buildings.queries.js';
import { notFound } from './spaces.access.js';
import { decodeKeyCursor, keyPage } from './spaces.cursor.js';
import { afterWrite, isUniqueViolation } from './spaces.effects.js';
import { iso } from './spaces.fields.js';

type Page = { limit: number; cursor?: string };

export async function listWorkspaceBuildings(ctx: WorkspaceContext, input: Page) {
  const rows = await listBuildings(ctx.scope, {
    limit: input.limit,
    after: decodeKeyCursor(input.cursor, 'string'),
  });
  return keyPage(rows, input.limit, buildingDto, (row) => ({ key: row.name, id: row.id }));
}

export async function getBuilding(ctx: WorkspaceContext, id: string): Promise<BuildingDto> {
  const row = await findBuilding(ctx.scope, id);
  if (!row) throw notFound('building');
  return buildingDto(row);
}

export async function createBuilding(
  ctx: WorkspaceContext,
  input: { name: string; timezone: string },
): Promise<BuildingDto> {
  const row = await insertBuilding(ctx.scope, input);
  await afterWrite(ctx, { topics: ['spaces'] });
  return buildingDto(row);
}

export async function changeBuilding(
  ctx: WorkspaceContext,
  input: { id: string; name?: string; timezone?: string },
): Promise<BuildingDto> {
  const { id, ...patch } = input;
  const row = Object.keys(patch).length
    ? await updateBuilding(ctx.scope, id, patch)
    : await findBuilding(ctx.scope, id);
  if (!row) throw notFound('building');
  await afterWrite(ctx, { topics: ['spaces'] });
  return buildingDto(row);
}

/** Deleting a building, floor, room or gathering cascades to everything inside it. */
export async function removeBuildingPart(
  ctx: WorkspaceContext,
  table: 'buildings' | 'floors' | 'rooms' | 'gatherings',
  id: string,
) {
  if (!(await deleteRow(ctx.scope, table, id))) throw notFound(table.replace(/s$/, ''));
  await afterWrite(ctx, { topics: ['spaces', 'community'] });
  return { deleted: true as const };
}

export async function listWorkspaceFloors(
  ctx: WorkspaceContext,
  input: Page & { buildingId?: string },
) {
  const rows = await listFloors(
    ctx.scope,
    { buildingId: input.buildingId },
    { limit: input.limit, after: decodeKeyCursor(input.cursor, 'number') },
  );
  return keyPage(rows, input.limit, floorDto, (row) => ({ key: row.number, id: row.id }));
}

export async function getFloor(ctx: WorkspaceContext, id: string): Promise<FloorDto> {
  const row = await findFloor(ctx.scope, id);
  if (!row) throw notFound('floor');
  return floorDto(row);
}

export async function createFloor(
  ctx: WorkspaceContext,
  input: { buildingId: string; number: number; name: string },
): Promise<FloorDto> {
  if (!(await findBuilding(ctx.scope, input.buildingId))) {
    throw notFound('building', 'buildingId');
  }
  const row = await insertFloor(ctx.scope, {
    building_id: input.buildingId,
    number: input.number,
    name: input.name,
  }).catch(floorNumberTaken);
  await afterWrite(ctx, { topics: ['spaces'] });
  return floorDto(row);
}

export async function changeFloor(ctx: WorkspaceContext, input: UpdateFloorInput) {
  const { id, ...patch } = input;
  const row = Object.keys(patch).length
    ? await updateFloor(ctx.scope, id, patch).catch(floorNumberTaken)
    : await findFloor(ctx.scope, id);
  if (!row) throw notFound('floor');
  await afterWrite(ctx, { topics: ['spaces'] });
  return floorDto(row);
}

function floorNumberTaken(error: unknown): never {
  if (isUniqueViolation(error)) {
    throw new PulseError('ALREADY_EXISTS', 'This building already has a floor with this number', {
      field: 'number',
    });
  }
  throw error;
}

function buildingDto(row: BuildingRow): BuildingDto {
  return { id: row.id, name: row.name, timezone: row.timezone, createdAt: iso(row.created_at) };
}

export function floorDto(row: FloorRow): FloorDto {
  return { id: row.id, buildingId: row.building_id, number: row.number, name: row.name };
}
