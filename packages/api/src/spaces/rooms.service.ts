import type { WorkspaceContext } from '../auth/caller.js';
import { findFloor } from './buildings.queries.js';
import type {
  CreateRoomInput,
  ListRoomsInput,
  RoomDto,
  UpdateRoomInput,
} from './rooms.contract.js';
import {
  findRoom,
  insertRoom,
  listRooms,
  type RoomPatch,
  type RoomRow,
  updateRoom,
} from './rooms.queries.js';
import { notFound } from './spaces.access.js';
import type { SpaceActivity } from './spaces.activity.js';
import { decodeKeyCursor, keyPage } from './spaces.cursor.js';
import { afterWrite } from './spaces.effects.js';
import { money, normalizeTags } from './spaces.fields.js';

export async function listWorkspaceRooms(ctx: WorkspaceContext, input: ListRoomsInput) {
  const rows = await listRooms(
    ctx.scope,
    {
      floorId: input.floorId,
      kind: input.kind,
      minCapacity: input.minCapacity,
      amenity: input.amenity?.toLowerCase(),
    },
    { limit: input.limit, after: decodeKeyCursor(input.cursor, 'string') },
  );
  return keyPage(rows, input.limit, roomDto, (row) => ({ key: row.name, id: row.id }));
}

export async function getRoom(ctx: WorkspaceContext, id: string): Promise<RoomDto> {
  const row = await findRoom(ctx.scope, id);
  if (!row) throw notFound('room');
  return roomDto(row);
}

export async function createRoom(ctx: WorkspaceContext, input: CreateRoomInput): Promise<RoomDto> {
  await requireFloor(ctx, input.floorId);
  const { floorId, ...fields } = input;
  const row = await insertRoom(ctx.scope, {
    floor_id: floorId,
    name: fields.name,
    kind: fields.kind,
    capacity: fields.capacity,
    ...roomPatch(fields),
  });
  await announceRoom(ctx, row, 'created');
  return roomDto(row);
}

export async function changeRoom(ctx: WorkspaceContext, input: UpdateRoomInput): Promise<RoomDto> {
  if (input.floorId) await requireFloor(ctx, input.floorId);
  const { id, ...fields } = input;
  const patch = roomPatch(fields);
  const row = Object.keys(patch).length
    ? await updateRoom(ctx.scope, id, patch)
    : await findRoom(ctx.scope, id);
  if (!row) throw notFound('room');
  await announceRoom(ctx, row, 'updated');
  return roomDto(row);
}

async function requireFloor(ctx: WorkspaceContext, floorId: string): Promise<void> {
  if (!(await findFloor(ctx.scope, floorId))) throw notFound('floor', 'floorId');
}

function roomPatch(fields: Omit<UpdateRoomInput, 'id'>): RoomPatch {
  const patch: RoomPatch = {};
  if (fields.floorId !== undefined) patch.floor_id = fields.floorId;
  if (fields.name !== undefined) patch.name = fields.name;
  if (fields.kind !== undefined) patch.kind = fields.kind;
  if (fields.capacity !== undefined) patch.capacity = fields.capacity;
  for (const key of ['x', 'y', 'width', 'height'] as const) {
    const value = fields[key];
    if (value !== undefined) patch[key] = value;
  }
  if (fields.amenities !== undefined) patch.amenities = normalizeTags(fields.amenities);
  if (fields.hourlyPrice !== undefined) patch.hourly_price = fields.hourlyPrice.toFixed(2);
  return patch;
}

async function announceRoom(
  ctx: WorkspaceContext,
  row: RoomRow,
  change: 'created' | 'updated',
): Promise<void> {
  const activity: SpaceActivity = {
    kind: 'room',
    change,
    roomId: row.id,
    floorId: row.floor_id,
    at: new Date().toISOString(),
  };
  await afterWrite(ctx, { topics: ['spaces'], activity: [activity] });
}

export function roomDto(row: RoomRow): RoomDto {
  return {
    id: row.id,
    floorId: row.floor_id,
    name: row.name,
    kind: row.kind,
    capacity: row.capacity,
    x: row.x,
    y: row.y,
    width: row.width,
    height: row.height,
    amenities: row.amenities,
    hourlyPrice: money(row.hourly_price),
  };
}
