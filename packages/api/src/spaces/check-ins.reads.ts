import type { WorkspaceContext } from '../auth/caller.js';
import type { CheckInDto, ListCheckInsInput } from './check-ins.contract.js';
import { findCheckIn, listCheckIns } from './check-ins.queries.js';
import { checkInDto } from './check-ins.service.js';
import { notFound } from './spaces.access.js';
import { decodeKeyCursor, keyPage } from './spaces.cursor.js';
import { iso, timeRange } from './spaces.fields.js';

export async function listWorkspaceCheckIns(ctx: WorkspaceContext, input: ListCheckInsInput) {
  const rows = await listCheckIns(
    ctx.scope,
    {
      memberId: input.memberId,
      roomId: input.roomId,
      floorId: input.floorId,
      gatheringId: input.gatheringId,
      open: input.open === undefined ? undefined : input.open === 'true',
      ...timeRange(input),
    },
    { limit: input.limit, before: decodeKeyCursor(input.cursor, 'time') },
  );
  return keyPage(rows, input.limit, checkInDto, (row) => ({
    key: iso(row.checked_in_at),
    id: row.id,
  }));
}

export async function getCheckIn(ctx: WorkspaceContext, id: string): Promise<CheckInDto> {
  const row = await findCheckIn(ctx.scope, id);
  if (!row) throw notFound('check-in');
  return checkInDto(row);
}
