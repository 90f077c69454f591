import type { WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';
import { CHECK_IN_RATE_MINUTES } from './building-live.contract.js';
import { attendeeCount, isPresentAt, isRunningAt, roomsOf } from './presence.queries.js';

export interface TowerRow {
  active_members: number;
  collaborating: number;
  live_events: number;
  recent_check_ins: number;
  /** numeric, as text. */
  revenue_today: string;
}

/**
 * The building-wide figures at `at`. Check-ins into no room belong to the workspace, so they
 * count only when no building is named. "Today" starts at midnight in `timezone`.
 */
export async function towerFigures(
  scope: WorkspaceScope,
  buildingId: string | null,
  timezone: string,
  at: Date,
): Promise<TowerRow> {
  const ws = scope.workspaceId;
  const inRooms = roomsOf(scope, buildingId);
  const today = sql`(date_trunc('day', ${at}::timestamptz at time zone ${timezone}) at time zone ${timezone})`;
  const { rows } = await scope.executeRaw(sql<TowerRow>`
    with present as (
      select c.member_id, c.gathering_id from check_ins c
      where c.workspace_id = ${ws} and ${isPresentAt('c', at)}
        and (c.room_id in ${inRooms} or (c.room_id is null and ${buildingId}::uuid is null))
    ),
    together as (
      select gathering_id from present where gathering_id is not null
      group by gathering_id having count(distinct member_id) >= 2
    )
    select
      (select count(distinct member_id) from present)::int as active_members,
      (select count(distinct member_id) from present
        where gathering_id in (select gathering_id from together))::int as collaborating,
      (select count(*) from gatherings g where g.workspace_id = ${ws} and g.room_id in ${inRooms}
        and ${isRunningAt('g', at)})::int as live_events,
      (select count(*) from check_ins c where c.workspace_id = ${ws}
        and c.checked_in_at > ${at}::timestamptz - make_interval(mins => ${CHECK_IN_RATE_MINUTES})
        and c.checked_in_at <= ${at}
        and (c.room_id in ${inRooms} or (c.room_id is null and ${buildingId}::uuid is null)))::int as recent_check_ins,
      -- Summed as numeric and rounded to cents once: money, not floats.
      round((select coalesce(sum(b.price_paid), 0) from room_bookings b where b.workspace_id = ${ws}
        and b.room_id in ${inRooms} and b.cancelled_at is null
        and b.starts_at >= ${today} and b.starts_at < ${today} + interval '1 day')
      + (select coalesce(sum(g.price * ${attendeeCount(scope, sql`g.id`)}), 0) from gatherings g
        where g.workspace_id = ${ws} and g.room_id in ${inRooms} and g.price > 0
        and g.starts_at >= ${today} and g.starts_at < ${today} + interval '1 day'), 2) as revenue_today`);
  const [row] = rows;
  if (!row) throw new Error('tower figures: the aggregate returned no row');
  return row;
}

export interface FloorActivityRow {
  id: string;
  number: number;
  name: string;
  capacity: number;
  present: number;
  current_events: number;
}

export async function floorActivityRows(
  scope: WorkspaceScope,
  buildingId: string | null,
  at: Date,
): Promise<FloorActivityRow[]> {
  const ws = scope.workspaceId;
  const { rows } = await scope.executeRaw(sql<FloorActivityRow>`
    select f.id, f.number, f.name,
      coalesce((select sum(r.capacity) from rooms r where r.workspace_id = ${ws} and r.floor_id = f.id), 0)::int as capacity,
      (select count(distinct c.member_id) from check_ins c join rooms r on r.workspace_id = c.workspace_id and r.id = c.room_id
        where c.workspace_id = ${ws} and r.floor_id = f.id and ${isPresentAt('c', at)})::int as present,
      (select count(*) from gatherings g join rooms r on r.workspace_id = g.workspace_id and r.id = g.room_id
        where g.workspace_id = ${ws} and r.floor_id = f.id and ${isRunningAt('g', at)})::int as current_events
    from floors f
    where f.workspace_id = ${ws} and (${buildingId}::uuid is null or f.building_id = ${buildingId}::uuid)`);
  return rows;
}
