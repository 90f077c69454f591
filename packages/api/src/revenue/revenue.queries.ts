import type { WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';

export interface RevenueRoomRow {
  id: string;
  name: string;
  floor_id: string;
  floor: number;
  capacity: number;
  hourly_price: string;
}

export async function buildingRooms(
  scope: WorkspaceScope,
  buildingId: string,
): Promise<RevenueRoomRow[]> {
  const { rows } = await scope.executeRaw(sql<RevenueRoomRow>`
    select r.id, r.name, r.floor_id, f.number as floor, r.capacity, r.hourly_price
    from rooms r join floors f on f.workspace_id = r.workspace_id and f.id = r.floor_id
    where r.workspace_id = ${scope.workspaceId} and f.building_id = ${buildingId}
    order by f.number, r.name, r.id`);
  return rows;
}
