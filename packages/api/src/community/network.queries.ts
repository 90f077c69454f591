import type { WorkspaceScope } from '@pulse/db';
import { type RawBuilder, sql } from 'kysely';
import { withoutJit } from '../spaces/presence.queries.js';
import { EDGE_WEIGHTS } from './network.contract.js';

export interface PairRow {
  m1: string;
  m2: string;
  shared_gatherings: number;
  connected: boolean;
  shared_interests: number;
  strength: number;
}

/**
 * Each member's activity in the window: attendance rows (going RSVPs and check-ins, a row
 * each, as `attendanceRows` yields them without distinct) of the gatherings that started in
 * it, plus connections made by its end. The whole UTC days inside the window come from
 * `member_activity`, the two partial days at its edges from the RSVPs and check-ins themselves;
 * connections from `member_connection_counts`, less those made after the window.
 * A subquery of (member_id, n).
 */
function activityIn(scope: WorkspaceScope, window: { since: Date; at: Date }) {
  const ws = scope.workspaceId;
  const { wholeFrom, wholeTo } = wholeDaysOf(window);
  return sql`(
    select member_id, sum(n) as n from (
      select member_id, attendance as n from member_activity
      where workspace_id = ${ws} and day >= ${isoDay(wholeFrom)}::date and day < ${isoDay(wholeTo)}::date
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

/** Gathering ids of `memberId`'s going RSVPs and check-ins (a row each): a subquery. */
function attendedBy(scope: WorkspaceScope, memberId: RawBuilder<unknown>): RawBuilder<unknown> {
  const ws = scope.workspaceId;
  return sql`(
    select gathering_id from rsvps
    where workspace_id = ${ws} and member_id = ${memberId} and status = 'going'
    union all
    select gathering_id from check_ins
    where workspace_id = ${ws} and member_id = ${memberId} and gathering_id is not null
  )`;
}

/**
 * The weighted pairs among the `candidates` most active members (RSVPs and check-ins in the
 * window plus connections), strongest first. Pairs are counted here, in the database, from each
 * gathering's list of candidates who attended it, never as all member pairs.
 */
export async function memberPairs(
  scope: WorkspaceScope,
  window: { since: Date; at: Date },
  limits: { candidates: number; minStrength: number; edges: number },
): Promise<{ pairs: PairRow[]; candidates: number }> {
  const ws = scope.workspaceId;
  const { rows } = await withoutJit(
    scope,
    sql<PairRow & { candidates: number }>`
    with candidates as materialized (
      select member_id from ${activityIn(scope, window)} activity
      order by n desc, member_id limit ${limits.candidates}
    ),
    -- The candidates' attendance rows of all time, read member by member (covering indexes),
    -- so only the candidates' rows are visited. Materialized on its own: without statistics
    -- (PGlite is never analyzed) the planner would otherwise walk the candidates once per
    -- gathering of the window.
    candidate_rows as materialized (
      select c.member_id, a.gathering_id
      from candidates c cross join lateral ${attendedBy(scope, sql`c.member_id`)} a
    ),
    -- Those in the window, each (member, gathering) once.
    candidate_attended as materialized (
      select distinct r.member_id, r.gathering_id
      from candidate_rows r
      join gatherings g on g.workspace_id = ${ws} and g.id = r.gathering_id
      where g.starts_at > ${window.since} and g.starts_at <= ${window.at}
    ),
    -- Pairs per gathering from its candidates' list rather than a self-join, for the same reason.
    co as (
      select a.m1, b.m2, count(*)::int as shared
      from (
        select array_agg(member_id order by member_id) as attendees from candidate_attended
        group by gathering_id having count(*) > 1
      ) per_gathering
      cross join lateral unnest(attendees) with ordinality as a(m1, i)
      cross join lateral unnest(attendees) with ordinality as b(m2, j)
      where i < j
      group by a.m1, b.m2
    ),
    linked as (
      select member_a as m1, member_b as m2 from member_connections
      where workspace_id = ${ws} and created_at <= ${window.at}
        and member_a in (select member_id from candidates)
        and member_b in (select member_id from candidates)
    ),
    candidate_interests as materialized (
      select id, interests from members
      where workspace_id = ${ws} and id in (select member_id from candidates)
    ),
    pairs as (
      select coalesce(co.m1, linked.m1) as m1, coalesce(co.m2, linked.m2) as m2,
        coalesce(co.shared, 0) as shared_gatherings, linked.m1 is not null as connected
      from co full join linked on linked.m1 = co.m1 and linked.m2 = co.m2
    ),
    weighed as materialized (
      select p.*, (select count(distinct i) from unnest(ma.interests) as i
          where i = any(mb.interests))::int as shared_interests
      from pairs p
      join candidate_interests ma on ma.id = p.m1
      join candidate_interests mb on mb.id = p.m2
    ),
    scored as (
      select *, (shared_gatherings * ${EDGE_WEIGHTS.coAttendance}::float8
        + case when connected then ${EDGE_WEIGHTS.connection}::float8 else 0 end
        + shared_interests * ${EDGE_WEIGHTS.sharedInterest}::float8) as strength
      from weighed
    )
    select m1, m2, shared_gatherings, connected, shared_interests, strength,
      (select count(*) from candidates)::int as candidates
    from scored where strength >= ${limits.minStrength}
    order by strength desc, m1, m2
    limit ${limits.edges}`,
  );
  return {
    pairs: rows.map(({ candidates: _, ...pair }) => ({ ...pair, strength: Number(pair.strength) })),
    candidates: rows[0]?.candidates ?? 0,
  };
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
      select distinct m.id as member_id, a.gathering_id
      from unnest(${memberIds}::uuid[]) as m(id)
      cross join lateral ${attendedBy(scope, sql`m.id`)} a
    ),
    topics as (
      select distinct on (a.member_id) a.member_id, t.tag
      from attended a
      join gatherings g on g.workspace_id = ${ws} and g.id = a.gathering_id
        and g.starts_at > ${window.since} and g.starts_at <= ${window.at}
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
