import type { UserContext, WorkspaceContext } from '../auth/caller.js';
import { PulseError } from '../errors.js';
import { deleteRow } from './buildings.queries.js';
import {
  type CreateGatheringInput,
  type GatheringDto,
  type ListGatheringsInput,
  MAX_GATHERING_DAYS,
  type UpdateGatheringInput,
} from './gatherings.contract.js';
import {
  findGathering,
  type GatheringPatch,
  type GatheringRow,
  insertGathering,
  listGatherings,
  updateGathering,
} from './gatherings.queries.js';
import { findRoom } from './rooms.queries.js';
import {
  actsForAnyone,
  notFound,
  optionalActingMemberId,
  requireOwnerOrAdmin,
} from './spaces.access.js';
import type { SpaceActivity } from './spaces.activity.js';
import { decodeKeyCursor, keyPage } from './spaces.cursor.js';
import { afterWrite } from './spaces.effects.js';
import { iso, money, normalizeTags, timeRange } from './spaces.fields.js';

const DAY_MS = 86_400_000;

export async function listWorkspaceGatherings(ctx: WorkspaceContext, input: ListGatheringsInput) {
  const rows = await listGatherings(
    ctx.scope,
    {
      floorId: input.floorId,
      roomId: input.roomId,
      hostMemberId: input.hostMemberId,
      attendeeId: input.attendeeId,
      tag: input.tag?.toLowerCase(),
      ...timeRange(input),
    },
    { limit: input.limit, after: decodeKeyCursor(input.cursor, 'time') },
  );
  return keyPage(rows, input.limit, gatheringDto, (row) => ({
    key: iso(row.starts_at),
    id: row.id,
  }));
}

export async function getGathering(ctx: WorkspaceContext, id: string): Promise<GatheringDto> {
  return gatheringDto(await requireGathering(ctx, id));
}

export async function createGathering(ctx: UserContext, input: CreateGatheringInput) {
  const hostMemberId = await optionalActingMemberId(ctx, input.hostMemberId, 'hostMemberId');
  await checkPlacement(ctx, input.roomId, input.startsAt, input.endsAt, input.capacity);
  const id = await insertGathering(ctx.scope, {
    room_id: input.roomId,
    host_member_id: hostMemberId,
    title: input.title,
    starts_at: new Date(input.startsAt),
    ends_at: new Date(input.endsAt),
    ...gatheringPatch(input),
  });
  return announceGathering(ctx, id, 'created');
}

/** Admins change any gathering; members the ones they host. */
export async function changeGathering(ctx: UserContext, input: UpdateGatheringInput) {
  const existing = await requireGathering(ctx, input.id);
  await requireOwnerOrAdmin(
    ctx,
    existing.host_member_id,
    'Members change only the gatherings they host',
  );
  if (input.hostMemberId !== undefined && !actsForAnyone(ctx.caller)) {
    throw new PulseError('FORBIDDEN', 'Only admins hand a gathering to another host', {
      field: 'hostMemberId',
    });
  }
  await checkPlacement(
    ctx,
    input.roomId ?? existing.room_id,
    input.startsAt ?? iso(existing.starts_at),
    input.endsAt ?? iso(existing.ends_at),
    input.capacity === undefined ? existing.own_capacity : input.capacity,
  );
  const patch = gatheringPatch(input);
  if (input.roomId !== undefined) patch.room_id = input.roomId;
  if (input.title !== undefined) patch.title = input.title;
  if (input.hostMemberId !== undefined)
    patch.host_member_id = await optionalActingMemberId(ctx, input.hostMemberId, 'hostMemberId');
  if (Object.keys(patch).length) await updateGathering(ctx.scope, input.id, patch);
  return announceGathering(ctx, input.id, 'updated');
}

export async function removeGathering(ctx: UserContext, id: string) {
  const existing = await requireGathering(ctx, id);
  await requireOwnerOrAdmin(
    ctx,
    existing.host_member_id,
    'Members change only the gatherings they host',
  );
  await deleteRow(ctx.scope, 'gatherings', id);
  await afterWrite(ctx, {
    topics: ['spaces', 'community'],
    activity: [gatheringActivity(existing, 'deleted')],
  });
  return { deleted: true as const };
}

async function requireGathering(ctx: WorkspaceContext, id: string): Promise<GatheringRow> {
  const row = await findGathering(ctx.scope, id);
  if (!row) throw notFound('gathering');
  return row;
}

async function checkPlacement(
  ctx: WorkspaceContext,
  roomId: string,
  startsAt: string,
  endsAt: string,
  capacity: number | null | undefined,
): Promise<void> {
  const durationMs = Date.parse(endsAt) - Date.parse(startsAt);
  if (durationMs <= 0) {
    throw new PulseError('VALIDATION_FAILED', 'must be after startsAt', { field: 'endsAt' });
  }
  if (durationMs > MAX_GATHERING_DAYS * DAY_MS) {
    throw new PulseError(
      'VALIDATION_FAILED',
      `must be at most ${MAX_GATHERING_DAYS} days after startsAt`,
      {
        field: 'endsAt',
      },
    );
  }
  const room = await findRoom(ctx.scope, roomId);
  if (!room) throw notFound('room', 'roomId');
  if (capacity != null && capacity > room.capacity) {
    throw new PulseError(
      'VALIDATION_FAILED',
      `must be at most the room's capacity (${room.capacity})`,
      {
        field: 'capacity',
      },
    );
  }
}

function gatheringPatch(input: Partial<CreateGatheringInput>): GatheringPatch {
  const patch: GatheringPatch = {};
  if (input.description !== undefined) patch.description = input.description;
  if (input.tags !== undefined) patch.tags = normalizeTags(input.tags);
  if (input.startsAt !== undefined) patch.starts_at = new Date(input.startsAt);
  if (input.endsAt !== undefined) patch.ends_at = new Date(input.endsAt);
  if (input.capacity !== undefined) patch.capacity = input.capacity;
  if (input.price !== undefined) patch.price = input.price.toFixed(2);
  return patch;
}

async function announceGathering(
  ctx: WorkspaceContext,
  id: string,
  change: 'created' | 'updated',
): Promise<GatheringDto> {
  const row = await requireGathering(ctx, id);
  await afterWrite(ctx, { topics: ['spaces'], activity: [gatheringActivity(row, change)] });
  return gatheringDto(row);
}

function gatheringActivity(
  row: GatheringRow,
  change: 'created' | 'updated' | 'deleted',
): SpaceActivity {
  return {
    kind: 'gathering',
    change,
    gatheringId: row.id,
    roomId: row.room_id,
    floorId: row.floor_id,
    title: row.title,
    tags: row.tags,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    at: new Date().toISOString(),
  };
}

export function gatheringDto(row: GatheringRow): GatheringDto {
  return {
    id: row.id,
    roomId: row.room_id,
    floorId: row.floor_id,
    hostMemberId: row.host_member_id,
    title: row.title,
    description: row.description,
    tags: row.tags,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    capacity: row.capacity,
    price: money(row.price),
    going: row.going,
    interested: row.interested,
  };
}
