import type { WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';
import type { KeyCursor } from './spaces.cursor.js';

function checkInsWithFloor(scope: WorkspaceScope) {
  return scope
    .selectFrom('check_ins')
    .leftJoin('rooms', (join) =>
      join
        .onRef('rooms.workspace_id', '=', 'check_ins.workspace_id')
        .onRef('rooms.id', '=', 'check_ins.room_id'),
    )
    .select([
      sql<string>`check_ins.id::text`.as('id'),
      'check_ins.member_id',
      'check_ins.room_id',
      'rooms.floor_id',
      'check_ins.gathering_id',
      'check_ins.checked_in_at',
      'check_ins.checked_out_at',
    ]);
}

export function findCheckIn(scope: WorkspaceScope, id: string) {
  return checkInsWithFloor(scope).where('check_ins.id', '=', id).executeTakeFirst();
}

export function findOpenCheckIn(scope: WorkspaceScope, memberId: string) {
  return checkInsWithFloor(scope)
    .where('check_ins.member_id', '=', memberId)
    .where('check_ins.checked_out_at', 'is', null)
    .executeTakeFirst();
}

export async function closeCheckIn(scope: WorkspaceScope, id: string, at: Date): Promise<void> {
  await scope.updateTable('check_ins').set({ checked_out_at: at }).where('id', '=', id).execute();
}

export async function insertCheckIn(
  scope: WorkspaceScope,
  values: { memberId: string; roomId: string | null; gatheringId: string | null; at: Date },
): Promise<string> {
  const row = await scope
    .insertInto('check_ins', {
      member_id: values.memberId,
      room_id: values.roomId,
      gathering_id: values.gatheringId,
      checked_in_at: values.at,
    })
    .returning(sql<string>`id::text`.as('id'))
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface CheckInFilters {
  memberId?: string;
  roomId?: string;
  floorId?: string;
  gatheringId?: string;
  open?: boolean;
  from?: Date;
  to?: Date;
}

/** Newest first; `from`/`to` keep the visits overlapping [from, to). */
export function listCheckIns(
  scope: WorkspaceScope,
  filters: CheckInFilters,
  page: { limit: number; before?: KeyCursor<string> },
) {
  let query = checkInsWithFloor(scope)
    .orderBy('check_ins.checked_in_at', 'desc')
    .orderBy('check_ins.id', 'desc')
    .limit(page.limit + 1);
  if (filters.memberId) query = query.where('check_ins.member_id', '=', filters.memberId);
  if (filters.roomId) query = query.where('check_ins.room_id', '=', filters.roomId);
  if (filters.floorId) query = query.where('rooms.floor_id', '=', filters.floorId);
  if (filters.gatheringId) query = query.where('check_ins.gathering_id', '=', filters.gatheringId);
  if (filters.open !== undefined) {
    query = query.where('check_ins.checked_out_at', filters.open ? 'is' : 'is not', null);
  }
  const { from, to } = filters;
  if (from) {
    query = query.where((eb) =>
      eb.or([
        eb('check_ins.checked_out_at', 'is', null),
        eb('check_ins.checked_out_at', '>', from),
      ]),
    );
  }
  if (to) query = query.where('check_ins.checked_in_at', '<', to);
  const before = page.before;
  if (before) {
    query = query.where((eb) =>
      eb(
        eb.refTuple('check_ins.checked_in_at', 'check_ins.id'),
        '<',
        eb.tuple(new Date(before.key), before.id),
      ),
    );
  }
  return query.execute();
}

export type CheckInRow = NonNullable<Awaited<ReturnType<typeof findCheckIn>>>;
