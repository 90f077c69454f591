import type { WorkspaceScope } from '@pulse/db';
import { type RawBuilder, sql } from 'kysely';
import { attendanceRows, withoutJit } from '../spaces/presence.queries.js';
import { EDGE_WEIGHTS } from './network.contract.js';

export interface PairRow {
  m1: string;
  m2: string;
  shared_gatherings: number;
  connected: boolean;
  shared_interests: number;
  strength: number;
}

/** Ids of the gatherings that started in the window: a subquery. */
function startedIn(scope: WorkspaceScope, since: Date, at: Date): RawBuilder<unknown> {
  return sql`(select id from gatherings
    where workspace_id = ${scope.workspaceId} and starts_at > ${since} and starts_at <= ${at})`;
}

/**
 * The weighted pairs among the `candidates` most active members (RSVPs and check-ins in the
 * window plus connections), strongest first. Pairs are counted here, in the database, by joining
 * attendance to itself per gathering, never as all member pairs.
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
    with recent as materialized ${startedIn(scope, window.since, window.at)},
    attended as materialized ${attendanceRows(scope, sql`(select id from recent)`, { distinct: false })},
    connections as (
      select member_a, member_b from member_connections
      where workspace_id = ${ws} and created_at <= ${window.at}
    ),
    activity as (
      select member_id, count(*) as n from (
        select member_id from attended
        union all select member_a from connections
        union all select member_b from connections
      ) seen group by member_id
    ),
    candidates as materialized (
      select member_id from activity order by n desc, member_id limit ${limits.candidates}
    ),
    -- The candidates' attendance, each (member, gathering) once: pairs then count rows.
    candidate_attended as materialized (
      select distinct a.member_id, a.gathering_id
      from attended a join candidates c on c.member_id = a.member_id
    ),
    co as (
      select a.member_id as m1, b.member_id as m2, count(*)::int as shared
      from candidate_attended a
      join candidate_attended b on b.gathering_id = a.gathering_id and a.member_id < b.member_id
      group by a.member_id, b.member_id
    ),
    linked as (
      select member_a as m1, member_b as m2 from connections
      where member_a in (select member_id from candidates)
        and member_b in (select member_id from candidates)
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
      join members ma on ma.workspace_id = ${ws} and ma.id = p.m1
      join members mb on mb.workspace_id = ${ws} and mb.id = p.m2
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
    with attended as ${attendanceRows(scope, startedIn(scope, window.since, window.at), { memberIds })},
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
