import type { WorkspaceScope } from '@pulse/db';
import { type RawBuilder, sql } from 'kysely';

/**
 * An open check-in older than this is a forgotten check-out, not a person still in the room:
 * nobody stays twelve hours, and counting them would fill the building for good.
 */
export const OPEN_CHECK_IN_MAX_HOURS = 12;

/** `alias` (a check_ins row) is someone present at `at`. */
export function isPresentAt(alias: string, at: Date): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  return sql<boolean>`(${column('checked_out_at')} is null
    and ${column('checked_in_at')} <= ${at}
    and ${column('checked_in_at')} > ${at}::timestamptz - make_interval(hours => ${OPEN_CHECK_IN_MAX_HOURS}))`;
}

// A gathering still running after two days is a data error, not what is "on now"; the bound
// keeps the index walk over past gatherings short.
const LONGEST_GATHERING_HOURS = 48;

/** `alias` (a gatherings row) is running at `at`. */
export function isRunningAt(alias: string, at: Date): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  return sql<boolean>`(${column('starts_at')} <= ${at} and ${column('ends_at')} > ${at}
    and ${column('starts_at')} > ${at}::timestamptz - make_interval(hours => ${LONGEST_GATHERING_HOURS}))`;
}

/** Distinct members with a going RSVP or a check-in to gathering `gatheringId` (a column). */
export function attendeeCount(
  scope: WorkspaceScope,
  gatheringId: RawBuilder<unknown>,
): RawBuilder<number> {
  return sql<number>`(select count(*)::int from (
      select member_id from rsvps
      where workspace_id = ${scope.workspaceId} and gathering_id = ${gatheringId} and status = 'going'
      union
      select member_id from check_ins
      where workspace_id = ${scope.workspaceId} and gathering_id = ${gatheringId}
    ) attendees)`;
}

/**
 * Rows (member_id, gathering_id): going RSVPs and check-ins to the gatherings `gatheringIds`
 * (a subquery of ids), of `memberIds` only when given. `distinct` keeps each pair once;
 * without it a member who RSVP'd and checked in appears twice, which is cheaper for callers
 * that count distinct gatherings or members anyway.
 */
export function attendanceRows(
  scope: WorkspaceScope,
  gatheringIds: RawBuilder<unknown>,
  options: { distinct?: boolean; memberIds?: readonly string[] } = {},
): RawBuilder<unknown> {
  const ws = scope.workspaceId;
  const { memberIds, distinct = true } = options;
  const ofMembers = memberIds ? sql`and member_id = any(${memberIds}::uuid[])` : sql``;
  return sql`(
    select member_id, gathering_id from rsvps
    where workspace_id = ${ws} and status = 'going' and gathering_id in ${gatheringIds} ${ofMembers}
    ${distinct ? sql`union` : sql`union all`}
    select member_id, gathering_id from check_ins
    where workspace_id = ${ws} and gathering_id in ${gatheringIds} ${ofMembers}
  )`;
}

/**
 * Runs a building-wide read with JIT compilation off. Row estimates for set-returning
 * functions and CTE self-joins are off by orders of magnitude, so PostgreSQL judged these
 * queries expensive enough to compile and spent ~0.6 s of a 1 s query doing it (measured on
 * the large demo building). Local to the transaction.
 */
export function withoutJit<R>(scope: WorkspaceScope, query: RawBuilder<R>) {
  return scope.transaction(async (trx) => {
    await trx.executeRaw(sql`set local jit = off`);
    return trx.executeRaw(query);
  });
}

export interface BuildingRef {
  id: string;
  timezone: string;
}

/** The named building, or the workspace's first one when none is named. */
export async function findBuilding(
  scope: WorkspaceScope,
  buildingId: string | undefined,
): Promise<BuildingRef | undefined> {
  let query = scope
    .selectFrom('buildings')
    .select(['id', 'timezone'])
    .orderBy('created_at')
    .orderBy('id')
    .limit(1);
  if (buildingId) query = query.where('id', '=', buildingId);
  return query.executeTakeFirst();
}

export interface FloorRef {
  id: string;
  number: number;
  name: string;
  building_id: string;
}

export async function findFloor(
  scope: WorkspaceScope,
  floorId: string,
): Promise<FloorRef | undefined> {
  return scope
    .selectFrom('floors')
    .select(['id', 'number', 'name', 'building_id'])
    .where('id', '=', floorId)
    .executeTakeFirst();
}

/** Ids of the rooms of one building, or (null) of every room of the workspace: a subquery. */
export function roomsOf(scope: WorkspaceScope, buildingId: string | null): RawBuilder<unknown> {
  return sql`(select r.id from rooms r join floors f on f.workspace_id = r.workspace_id and f.id = r.floor_id
    where r.workspace_id = ${scope.workspaceId}
      and (${buildingId}::uuid is null or f.building_id = ${buildingId}::uuid))`;
}

/** Ids of the rooms of one floor: a subquery. */
export function roomsOnFloor(scope: WorkspaceScope, floorId: string): RawBuilder<unknown> {
  return sql`(select id from rooms where workspace_id = ${scope.workspaceId} and floor_id = ${floorId})`;
}

export interface TagTrendRow {
  tag: string;
  current: number;
  previous: number;
}

/**
 * Tags of gatherings that started in the last `hours` against the `hours` before, in the
 * `rooms` (a subquery of room ids). Ordered by growth, then volume.
 */
export async function tagTrends(
  scope: WorkspaceScope,
  rooms: RawBuilder<unknown>,
  at: Date,
  hours: number,
  limit: number,
): Promise<TagTrendRow[]> {
  const { rows } = await scope.executeRaw(sql<TagTrendRow>`
    with counted as (
      select t.tag,
        count(*) filter (where g.starts_at > ${at}::timestamptz - make_interval(hours => ${hours}))::int as current,
        count(*) filter (where g.starts_at <= ${at}::timestamptz - make_interval(hours => ${hours}))::int as previous
      from gatherings g cross join lateral unnest(g.tags) as t(tag)
      where g.workspace_id = ${scope.workspaceId}
        and g.starts_at > ${at}::timestamptz - make_interval(hours => ${2 * hours})
        and g.starts_at <= ${at}
        and g.room_id in ${rooms}
      group by t.tag
    )
    select tag, current, previous from counted
    where current > 0
    order by (current - previous)::float8 / greatest(previous, 1) desc, current desc, tag
    limit ${limit}`);
  return rows;
}
