import type { WorkspaceScope } from '@pulse/db';
import { type RawBuilder, sql } from 'kysely';
import { withoutJit } from '../spaces/presence.queries.js';

/**
 * Each member's activity in the window: attendance rows (going RSVPs and check-ins, a row
 * each, as `attendanceRows` yields them without distinct) of the gatherings that started in
 * it, plus connections made by its end. The whole ISO weeks inside the window come from
 * `member_activity_weeks`, the other whole UTC days from `member_activity`, the two partial
 * days at its edges from the RSVPs and check-ins themselves; connections from
 * `member_connection_counts`, less those made after the window.
 * A subquery of (member_id, n).
 */
function activityIn(scope: WorkspaceScope, window: { since: Date; at: Date }) {
  const ws = scope.workspaceId;
  const { wholeFrom, wholeTo } = wholeDaysOf(window);
  const { weekFrom, weekTo } = wholeWeeksOf({ wholeFrom, wholeTo });
  return sql`(
    select member_id, sum(n) as n from (
      select member_id, attendance as n from member_activity_weeks
      where workspace_id = ${ws} and week >= ${isoDay(weekFrom)}::date and week < ${isoDay(weekTo)}::date
      union all
      select member_id, attendance from member_activity
      where workspace_id = ${ws}
        and ((day >= ${isoDay(wholeFrom)}::date and day < ${isoDay(weekFrom)}::date)
          or (day >= ${isoDay(weekTo)}::date and day < ${isoDay(wholeTo)}::date))
      union all
      select a.member_id, 1 from gatherings g
      cross join lateral ${attendeesOf(scope, sql`g.id`)} a
      where g.workspace_id = ${ws}
        and ((g.starts_at > ${window.since} and g.starts_at < ${wholeFrom})
          or (g.starts_at >= ${wholeTo} and g.starts_at <= ${window.at}))
      union all
      select member_id, connections from member_connection_counts where workspace_id = ${ws}
      union all
      select unnest(array[member_a, member_b]), -1 from member_connections
      where workspace_id = ${ws} and created_at > ${window.at}
    ) seen group by member_id
    -- A member whose every connection came after the window's end has no activity at all.
    having sum(n) > 0
  )`;
}

const DAY_MS = 86_400_000;

/** The UTC days wholly inside (since, at]: [wholeFrom, wholeTo), empty when wholeFrom ≥ wholeTo. */
function wholeDaysOf(window: { since: Date; at: Date }): { wholeFrom: Date; wholeTo: Date } {
  return {
    wholeFrom: new Date((Math.floor(window.since.getTime() / DAY_MS) + 1) * DAY_MS),
    wholeTo: new Date(Math.floor(window.at.getTime() / DAY_MS) * DAY_MS),
  };
}

/**
 * The ISO weeks (Monday to Sunday, UTC) wholly inside the whole days [wholeFrom, wholeTo):
 * [weekFrom, weekTo), both Mondays; when none, both are wholeTo, so the days cover it all.
 */
function wholeWeeksOf(days: { wholeFrom: Date; wholeTo: Date }): { weekFrom: Date; weekTo: Date } {
  const from = days.wholeFrom.getTime() / DAY_MS;
  const to = days.wholeTo.getTime() / DAY_MS;
  // Day 0 (1970-01-01) was a Thursday: (day + 3) % 7 is the days since Monday.
  const weekFrom = from + ((7 - ((from + 3) % 7)) % 7);
  const weekTo = to - ((to + 3) % 7);
  return weekFrom < weekTo
    ? { weekFrom: new Date(weekFrom * DAY_MS), weekTo: new Date(weekTo * DAY_MS) }
    : { weekFrom: days.wholeTo, weekTo: days.wholeTo };
}

const isoDay = (midnight: Date) => midnight.toISOString().slice(0, 10);

/** Member ids of `gatheringId`'s going RSVPs and check-ins (a row each): a subquery. */
function attendeesOf(scope: WorkspaceScope, gatheringId: RawBuilder<unknown>): RawBuilder<unknown> {
  const ws = scope.workspaceId;
  return sql`(
    select member_id from rsvps
    where workspace_id = ${ws} and gathering_id = ${gatheringId} and status = 'going'
    union all
    select member_id from check_ins where workspace_id = ${ws} and gathering_id = ${gatheringId}
  )`;
}

export interface CandidateRow {
  id: string;
  interests: string[];
  /** The gatherings of the window it attended (going RSVP or check-in), each once. */
  gatherings: string[];
  /** The candidates it connected with by the window's end, those after it in id order. */
  linked: string[];
}

/**
 * The `candidates` most active members (RSVPs and check-ins in the window plus connections),
 * with what their pairs are weighed from. Each candidate's gatherings are one range of the
 * kept `member_gatherings` index.
 */
export async function networkCandidates(
  scope: WorkspaceScope,
  window: { since: Date; at: Date },
  candidates: number,
): Promise<CandidateRow[]> {
  const ws = scope.workspaceId;
  const { rows } = await withoutJit(
    scope,
    sql<CandidateRow>`
    with candidates as materialized (
      select member_id from ${activityIn(scope, window)} activity
      order by n desc, member_id limit ${candidates}
    )
    select c.member_id::text as id, m.interests,
      array(select mg.gathering_id::text from member_gatherings mg
        where mg.workspace_id = ${ws} and mg.member_id = c.member_id
          and mg.starts_at > ${window.since} and mg.starts_at <= ${window.at}) as gatherings,
      array(select l.member_b::text from member_connections l
        where l.workspace_id = ${ws} and l.member_a = c.member_id and l.created_at <= ${window.at}
          and l.member_b in (select member_id from candidates)) as linked
    from candidates c
    join members m on m.workspace_id = ${ws} and m.id = c.member_id`,
  );
  return rows;
}

export interface NodeProfileRow {
  id: string;
  name: string;
  floor: number | null;
  primary_topic: string | null;
}

/** Name, home floor and primary topic of the given members. */
export async function nodeProfiles(
  scope: WorkspaceScope,
  memberIds: readonly string[],
  window: { since: Date; at: Date },
): Promise<NodeProfileRow[]> {
  if (memberIds.length === 0) return [];
  const ws = scope.workspaceId;
  const { rows } = await scope.executeRaw(sql<NodeProfileRow>`
    with attended as (
      select m.id as member_id, mg.gathering_id
      from unnest(${memberIds}::uuid[]) as m(id)
      cross join lateral (select gathering_id from member_gatherings
        where workspace_id = ${ws} and member_id = m.id
          and starts_at > ${window.since} and starts_at <= ${window.at}) mg
    ),
    topics as (
      select distinct on (a.member_id) a.member_id, t.tag
      from attended a
      join gatherings g on g.workspace_id = ${ws} and g.id = a.gathering_id
      cross join lateral unnest(g.tags) as t(tag)
      group by a.member_id, t.tag
      order by a.member_id, count(*) desc, t.tag
    )
    select m.id, m.name, f.number as floor, coalesce(tp.tag, m.interests[1]) as primary_topic
    from members m
    left join floors f on f.workspace_id = m.workspace_id and f.id = m.home_floor_id
    left join topics tp on tp.member_id = m.id
    where m.workspace_id = ${ws} and m.id = any(${memberIds}::uuid[])`);
  return rows;
}
