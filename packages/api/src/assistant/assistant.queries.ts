import type { WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';
import { attendanceRows, attendeeCount } from '../spaces/presence.queries.js';

export interface LocalCalendar {
  day_start: Date;
  week_start: Date;
}

/** Local midnight and the local Monday 00:00 of the week holding `at`, in `timezone`. */
export async function localCalendar(
  scope: WorkspaceScope,
  timezone: string,
  at: Date,
): Promise<LocalCalendar> {
  const { rows } = await scope.executeRaw(sql<LocalCalendar>`
    select date_trunc('day', ${at}::timestamptz at time zone ${timezone}) at time zone ${timezone} as day_start,
      date_trunc('week', ${at}::timestamptz at time zone ${timezone}) at time zone ${timezone} as week_start`);
  const [row] = rows;
  if (!row) throw new Error('local calendar: no row');
  return { day_start: new Date(row.day_start), week_start: new Date(row.week_start) };
}

export interface ScheduledGathering {
  id: string;
  title: string;
  tags: string[];
  room_name: string;
  starts_at: Date;
  ends_at: Date;
  attendees: number;
  capacity: number | null;
}

/** Gatherings overlapping [from, to) on floors numbered `floor` of the building. */
export async function floorSchedule(
  scope: WorkspaceScope,
  buildingId: string,
  floor: number,
  from: Date,
  to: Date,
): Promise<ScheduledGathering[]> {
  const ws = scope.workspaceId;
  const { rows } = await scope.executeRaw(sql<ScheduledGathering>`
    select g.id, g.title, g.tags, r.name as room_name, g.starts_at, g.ends_at, g.capacity,
      ${attendeeCount(scope, sql`g.id`)} as attendees
    from gatherings g
    join rooms r on r.workspace_id = g.workspace_id and r.id = g.room_id
    join floors f on f.workspace_id = r.workspace_id and f.id = r.floor_id
    where g.workspace_id = ${ws} and f.building_id = ${buildingId} and f.number = ${floor}
      and g.starts_at < ${to} and g.ends_at > ${from}
      and g.starts_at > ${from}::timestamptz - interval '48 hours'
    order by g.starts_at, g.title
    limit 50`);
  return rows;
}

export interface MeetCandidate {
  id: string;
  name: string;
  headline: string | null;
  has_interest: boolean;
  topic_gatherings: number;
  shared_interests: number;
  mutual_connections: number;
  score: number;
}

/**
 * The `limit` members best to meet about `topic`, scored 2 for the interest, 1 per gathering
 * tagged with it in the last 90 days (up to 5), 0.5 per interest shared with the asker and 1
 * per mutual connection (graph proximity). The asker and the people they are already
 * connected with are left out.
 */
export async function meetCandidates(
  scope: WorkspaceScope,
  askerId: string | null,
  topic: string,
  at: Date,
  limit: number,
): Promise<MeetCandidate[]> {
  const ws = scope.workspaceId;
  const { rows } = await scope.executeRaw(sql<MeetCandidate>`
    with asker_links as (
      select member_b as other from member_connections where workspace_id = ${ws} and member_a = ${askerId}::uuid
      union
      select member_a from member_connections where workspace_id = ${ws} and member_b = ${askerId}::uuid
    ),
    asker as (
      select coalesce((select array_agg(lower(i)) from members, unnest(interests) as i
        where workspace_id = ${ws} and id = ${askerId}::uuid), '{}') as interests
    ),
    -- Graph proximity: how many of the asker's connections each member is connected to.
    mutual as (
      select other_end as member_id, count(*)::int as n from (
        select c.member_b as other_end from member_connections c
        where c.workspace_id = ${ws} and c.member_a in (select other from asker_links)
        union all
        select c.member_a from member_connections c
        where c.workspace_id = ${ws} and c.member_b in (select other from asker_links)
      ) ends group by other_end
    ),
    tagged as (
      select id from gatherings g
      where g.workspace_id = ${ws} and g.starts_at > ${at}::timestamptz - interval '90 days'
        and g.starts_at <= ${at}
        and exists (select 1 from unnest(g.tags) t where lower(t) = lower(${topic}))
    ),
    topical as (
      select member_id, count(distinct gathering_id)::int as n
      from ${attendanceRows(scope, sql`(select id from tagged)`, { distinct: false })} a
      group by member_id
    ),
    keen as (
      select id from members
      where workspace_id = ${ws} and exists (select 1 from unnest(interests) i where lower(i) = lower(${topic}))
      union
      select member_id from topical
    ),
    facts as (
      select m.id, m.name, m.headline,
        exists (select 1 from unnest(m.interests) i where lower(i) = lower(${topic})) as has_interest,
        coalesce(t.n, 0) as topic_gatherings,
        (select count(distinct lower(i)) from unnest(m.interests) as i, asker
          where lower(i) = any(asker.interests))::int as shared_interests,
        coalesce(mu.n, 0) as mutual_connections
      from keen k
      join members m on m.workspace_id = ${ws} and m.id = k.id
      left join topical t on t.member_id = m.id
      left join mutual mu on mu.member_id = m.id
      where m.id is distinct from ${askerId}::uuid
        and m.id not in (select other from asker_links)
    )
    select *, (case when has_interest then 2 else 0 end + least(topic_gatherings, 5)
        + 0.5 * shared_interests + mutual_connections)::float8 as score
    from facts
    order by score desc, name, id
    limit ${limit}`);
  return rows;
}

export interface FreeRoom {
  id: string;
  name: string;
  floor: number;
  capacity: number;
  hourly_price: string;
}

/** Rooms of the building with no booking (not cancelled) or gathering overlapping [from, to). */
export async function freeRooms(
  scope: WorkspaceScope,
  buildingId: string,
  from: Date,
  to: Date,
): Promise<FreeRoom[]> {
  const ws = scope.workspaceId;
  const { rows } = await scope.executeRaw(sql<FreeRoom>`
    select r.id, r.name, f.number as floor, r.capacity, r.hourly_price
    from rooms r join floors f on f.workspace_id = r.workspace_id and f.id = r.floor_id
    where r.workspace_id = ${ws} and f.building_id = ${buildingId}
      and not exists (select 1 from room_bookings b where b.workspace_id = ${ws} and b.room_id = r.id
        and b.cancelled_at is null and b.starts_at < ${to} and b.ends_at > ${from}
        and b.starts_at > ${from}::timestamptz - interval '48 hours')
      and not exists (select 1 from gatherings g where g.workspace_id = ${ws} and g.room_id = r.id
        and g.starts_at < ${to} and g.ends_at > ${from}
        and g.starts_at > ${from}::timestamptz - interval '48 hours')
    order by f.number, r.name, r.id`);
  return rows;
}

export interface Busyness {
  check_ins: number;
  members: number;
  gatherings: number;
  busiest_day: string | null;
  busiest_day_check_ins: number | null;
}

/**
 * Check-ins, distinct members and gatherings of the whole workspace in [from, to), check-ins
 * into no particular room included; days are counted in the building's time zone.
 */
export async function busyness(
  scope: WorkspaceScope,
  building: { timezone: string },
  from: Date,
  to: Date,
): Promise<Busyness> {
  const ws = scope.workspaceId;
  const { rows } = await scope.executeRaw(sql<Busyness>`
    with visits as (
      select member_id, checked_in_at from check_ins
      where workspace_id = ${ws} and checked_in_at >= ${from} and checked_in_at < ${to}
    ),
    days as (
      select to_char(checked_in_at at time zone ${building.timezone}, 'YYYY-MM-DD') as day, count(*)::int as n
      from visits group by 1 order by n desc, day limit 1
    )
    select (select count(*) from visits)::int as check_ins,
      (select count(distinct member_id) from visits)::int as members,
      (select count(*) from gatherings where workspace_id = ${ws}
        and starts_at >= ${from} and starts_at < ${to})::int as gatherings,
      (select day from days) as busiest_day,
      (select n from days) as busiest_day_check_ins`);
  const [row] = rows;
  if (!row) throw new Error('busyness: no row');
  return row;
}
