import type { WorkspaceScope } from '@pulse/db';
import { type RawBuilder, sql } from 'kysely';
import { attendeeCount, isPresentAt, isRunningAt } from './presence.queries.js';

const WEEK_SECONDS = 7 * 24 * 3600;

export interface GatheringRow {
  id: string;
  title: string;
  tags: string[];
  starts_at: Date;
  ends_at: Date;
  attendees: number;
}

export interface RoomPulseRow {
  id: string;
  floor_id: string;
  name: string;
  kind: string;
  capacity: number;
  x: number;
  y: number;
  width: number;
  height: number;
  present: number;
  recent: number;
  past: number;
  current: GatheringRow | null;
  next: GatheringRow | null;
}

/**
 * Every room of `rooms` (a subquery of room ids: a floor's, the building's) with its occupancy at `at`, the check-ins of the last hour
 * (`recent`) and of the same hour 1…`weeks` weeks earlier (`past`, summed), and the
 * gatherings on now and next. The history is read as `weeks + 1` one-hour index ranges, not
 * as whole weeks of check-ins. Without `schedule` (the tower's every-tick state of all
 * rooms) the next gathering and attendee counts are left out (null, 0).
 */
export async function roomPulseRows(
  scope: WorkspaceScope,
  rooms: RawBuilder<unknown>,
  at: Date,
  weeks: number,
  schedule = true,
): Promise<RoomPulseRow[]> {
  const ws = scope.workspaceId;
  const attendees = schedule ? attendeeCount(scope, sql`g.id`) : sql`0`;
  const { rows } = await scope.executeRaw(sql<RoomPulseRow>`
    with floor_rooms as (
      select id, floor_id, name, kind, capacity, x, y, width, height from rooms
      where workspace_id = ${ws} and id in ${rooms}
    ),
    present as (
      select c.room_id, count(distinct c.member_id)::int as present
      from check_ins c
      where c.workspace_id = ${ws} and c.room_id in (select id from floor_rooms)
        and ${isPresentAt('c', at)}
      group by c.room_id
    ),
    activity as (
      -- One index range per room and week (lateral), never the rooms' whole history.
      select r.id as room_id,
        coalesce(sum(w.n) filter (where k.week = 0), 0)::int as recent,
        coalesce(sum(w.n) filter (where k.week > 0), 0)::int as past
      from floor_rooms r
      cross join generate_series(0, ${weeks}::int) as k(week)
      cross join lateral (
        select count(*) as n from check_ins c
        where c.workspace_id = ${ws} and c.room_id = r.id
          and c.checked_in_at > ${at}::timestamptz - make_interval(secs => k.week * ${WEEK_SECONDS} + 3600)
          and c.checked_in_at <= ${at}::timestamptz - make_interval(secs => k.week * ${WEEK_SECONDS})
      ) w
      group by r.id
    )
    select r.id, r.floor_id, r.name, r.kind, r.capacity, r.x, r.y, r.width, r.height,
      coalesce(p.present, 0) as present,
      coalesce(a.recent, 0) as recent,
      coalesce(a.past, 0) as past,
      (select to_jsonb(cur) from (
        select g.id, g.title, g.tags, g.starts_at, g.ends_at, ${attendees} as attendees
        from gatherings g
        where g.workspace_id = ${ws} and g.room_id = r.id
          and ${isRunningAt('g', at)}
        order by g.starts_at desc, g.id limit 1) cur) as current,
      (select to_jsonb(nxt) from (
        select g.id, g.title, g.tags, g.starts_at, g.ends_at, ${attendees} as attendees
        from gatherings g
        where ${schedule} and g.workspace_id = ${ws} and g.room_id = r.id and g.starts_at > ${at}
        order by g.starts_at, g.id limit 1) nxt) as next
    from floor_rooms r
    left join present p on p.room_id = r.id
    left join activity a on a.room_id = r.id
    order by r.name, r.id`);
  return rows;
}
