import { type PulseDatabase, scopeTo, type WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../history/database.test-suite.js';
import { attendanceRows, withoutJit } from '../spaces/presence.queries.js';
import { EDGE_WEIGHTS } from './network.contract.js';
import { memberPairs, type PairRow } from './network.pairs.js';
import { type NodeProfileRow, nodeProfiles } from './network.queries.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY) * DAY;

/** mulberry32: a tiny seeded generator, so every run sees the same building. */
function generator(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
}

/**
 * A building of 260 members (more than the 200 candidates, so the ranking's cut and its ties
 * matter) and 40 days of gatherings, many starting on the hour, so they fall exactly on the
 * windows' edges and on midnights; RSVPs of every status, check-ins, connections.
 */
async function buildBuilding(scope: WorkspaceScope) {
  const next = generator(7);
  const { id: buildingId } = await scope
    .insertInto('buildings', { name: 'Tower' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { id: floorId } = await scope
    .insertInto('floors', { building_id: buildingId, number: 1, name: 'One' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { id: roomId } = await scope
    .insertInto('rooms', { floor_id: floorId, name: 'Hall', kind: 'event', capacity: 500 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const topics = ['ai', 'music', 'design', 'chess', 'robotics'];
  const members = await scope
    .insertInto(
      'members',
      Array.from({ length: 260 }, (_, i) => ({
        name: `Member ${i}`,
        interests: topics.filter(() => next(3) === 0),
      })),
    )
    .returning('id')
    .execute();
  const ids = members.map((m) => m.id);
  const gatherings = await scope
    .insertInto(
      'gatherings',
      Array.from({ length: 160 }, (_, i) => {
        const startsAt = today - 40 * DAY + next(41 * 24) * HOUR + (i % 3 === 0 ? next(HOUR) : 0);
        return {
          room_id: roomId,
          title: `G${i}`,
          tags: [topics[next(5)] ?? 'ai'],
          starts_at: new Date(startsAt),
          ends_at: new Date(startsAt + HOUR),
        };
      }),
    )
    .returning('id')
    .execute();
  const statuses = ['going', 'going', 'going', 'interested', 'cancelled'] as const;
  for (const { id: gatheringId } of gatherings) {
    // Few attendees per gathering, so many members tie on activity.
    const attendees = [
      ...new Set(Array.from({ length: 2 + next(8) }, () => ids[next(ids.length)] ?? '')),
    ];
    await scope
      .insertInto(
        'rsvps',
        attendees.map((memberId) => ({
          gathering_id: gatheringId,
          member_id: memberId,
          status: statuses[next(statuses.length)] ?? 'going',
        })),
      )
      .execute();
    const checkedIn = attendees.filter(() => next(2) === 0);
    if (checkedIn.length === 0) continue;
    await scope
      .insertInto(
        'check_ins',
        checkedIn.map((memberId) => ({
          member_id: memberId,
          room_id: roomId,
          gathering_id: gatheringId,
          checked_in_at: new Date(today - next(40) * DAY),
          checked_out_at: new Date(today),
        })),
      )
      .execute();
  }
  const pairs = new Map<string, { member_a: string; member_b: string; created_at: Date }>();
  for (let i = 0; i < 150; i++) {
    const [a, b] = [ids[next(ids.length)] ?? '', ids[next(ids.length)] ?? ''].sort();
    if (a && b && a !== b)
      pairs.set(`${a}${b}`, {
        member_a: a,
        member_b: b,
        created_at: new Date(today - next(40) * DAY),
      });
  }
  await scope.insertInto('member_connections', [...pairs.values()]).execute();
}

/** `memberPairs` as it was before `member_activity`: the whole window's attendance read. */
async function memberPairsFromAttendance(
  scope: WorkspaceScope,
  window: { since: Date; at: Date },
  limits: { candidates: number; minStrength: number; edges: number },
): Promise<{ pairs: PairRow[]; candidates: number }> {
  const ws = scope.workspaceId;
  const { rows } = await withoutJit(
    scope,
    sql<PairRow & { candidates: number }>`
    with recent as materialized (select id from gatherings
      where workspace_id = ${ws} and starts_at > ${window.since} and starts_at <= ${window.at}),
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

/** `nodeProfiles` as it was before `member_gatherings`: the members' attendance of all time. */
async function nodeProfilesFromAttendance(
  scope: WorkspaceScope,
  memberIds: readonly string[],
  window: { since: Date; at: Date },
): Promise<NodeProfileRow[]> {
  const ws = scope.workspaceId;
  const { rows } = await scope.executeRaw(sql<NodeProfileRow>`
    with attended as (
      select distinct m.id as member_id, a.gathering_id
      from unnest(${memberIds}::uuid[]) as m(id)
      cross join lateral (
        select gathering_id from rsvps
        where workspace_id = ${ws} and member_id = m.id and status = 'going'
        union all
        select gathering_id from check_ins
        where workspace_id = ${ws} and member_id = m.id and gathering_id is not null
      ) a
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

/** Both computations over each window, equal; the old one must find pairs at all. */
async function expectEqualOver(
  scope: WorkspaceScope,
  windows: { since: Date; at: Date }[],
  limits: { candidates: number; minStrength: number; edges: number },
) {
  for (const window of windows) {
    const expected = await memberPairsFromAttendance(scope, window, limits);
    expect(expected.candidates).toBeGreaterThan(0);
    expect(await memberPairs(scope, window, limits)).toEqual(expected);
    const members = [...new Set(expected.pairs.flatMap((pair) => [pair.m1, pair.m2]))];
    const byId = (rows: NodeProfileRow[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(byId(await nodeProfiles(scope, members, window))).toEqual(
      byId(await nodeProfilesFromAttendance(scope, members, window)),
    );
  }
}

const windowsOf = (instants: number[], days: number[]) =>
  instants.flatMap((atMs) =>
    days.map((n) => ({ since: new Date(atMs - n * DAY), at: new Date(atMs) })),
  );

describe('network pairs from member_activity', () => {
  let database: PulseDatabase;
  let scope: WorkspaceScope;

  beforeAll(async () => {
    database = await openTestDatabase('network', 4);
    const workspace = await database.db
      .insertInto('workspaces')
      .values({ name: 'Network equivalence' })
      .returning('id')
      .executeTakeFirstOrThrow();
    scope = scopeTo(database.db, workspace.id);
    await buildBuilding(scope);
  });

  afterAll(async () => {
    await database?.close();
  });

  it('equal the pairs read from all attendance, at midnights, on the hour and in between', async () => {
    const instants = [
      today, // the window's both ends at midnight
      today - 3 * DAY + 5 * HOUR, // on the hour: gatherings start exactly at both ends
      today - 7 * DAY + 17 * HOUR + 123_456,
      today - DAY - 1,
    ];
    const limits = { candidates: 200, minStrength: 1, edges: 20_000 };
    for (const atMs of instants) {
      for (const days of [1, 2, 30]) {
        const window = { since: new Date(atMs - days * DAY), at: new Date(atMs) };
        const expected = await memberPairsFromAttendance(scope, window, limits);
        expect(expected.candidates).toBeGreaterThan(0);
        expect(await memberPairs(scope, window, limits)).toEqual(expected);
      }
    }
    // The 30-day window cuts the ranking: more members are active than candidates are kept.
    const month = { since: new Date(today - 30 * DAY), at: new Date(today) };
    const wide = await memberPairsFromAttendance(scope, month, { ...limits, candidates: 1_000 });
    expect(wide.candidates).toBeGreaterThan(limits.candidates);
    // Twelve windows computed twice each, on PGlite: seconds on a busy machine.
  }, 120_000);

  it('equal them on every weekday, across whole weeks and their edges, cut short or not', async () => {
    // Ends on each of the seven weekdays, windows of a week, a day more, two weeks and more.
    const instants = Array.from({ length: 7 }, (_, i) => today - i * DAY - 11 * HOUR);
    await expectEqualOver(scope, windowsOf(instants, [7, 8, 15]), {
      candidates: 200,
      minStrength: 1,
      edges: 20_000,
    });
    // A low threshold and a short cut: ties on strength ordered by member ids.
    await expectEqualOver(scope, windowsOf([today - 2 * DAY + 7 * HOUR], [6, 13, 22]), {
      candidates: 240,
      minStrength: 0.5,
      edges: 40,
    });
  }, 180_000);

  it('equal them after late attendance, moves across weeks, cancellations and deletes', async () => {
    const gatherings = await scope
      .selectFrom('gatherings')
      .select(['id', 'starts_at'])
      .orderBy('id')
      .execute();
    const members = await scope.selectFrom('members').select('id').orderBy('id').execute();
    const ids = members.map((m) => m.id);
    // Late RSVPs and check-ins to gatherings of weeks ago.
    const late = gatherings.slice(0, 12);
    for (const [i, g] of late.entries()) {
      const newcomers = ids.slice(i * 7, i * 7 + 5);
      await scope
        .insertInto(
          'rsvps',
          newcomers.map((memberId) => ({
            gathering_id: g.id,
            member_id: memberId,
            status: 'going' as const,
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(['workspace_id', 'gathering_id', 'member_id'])
            .doUpdateSet({ status: 'going' }),
        )
        .execute();
    }
    // Moves by three and a half days (across week and day edges), in one statement.
    await scope
      .updateTable('gatherings')
      .set((eb) => {
        const shift = eb.fn<Date>('make_interval', [
          eb.lit(0),
          eb.lit(0),
          eb.lit(0),
          eb.lit(3),
          eb.lit(12),
        ]);
        return { starts_at: eb('starts_at', '+', shift), ends_at: eb('ends_at', '+', shift) };
      })
      .where(
        'id',
        'in',
        gatherings.slice(12, 30).map((g) => g.id),
      )
      .execute();
    // Cancellations, a gathering and two members deleted (their rows go by cascade).
    await scope
      .updateTable('rsvps')
      .set({ status: 'cancelled' })
      .where(
        'gathering_id',
        'in',
        gatherings.slice(30, 40).map((g) => g.id),
      )
      .execute();
    await scope
      .deleteFrom('gatherings')
      .where('id', '=', gatherings[40]?.id ?? '')
      .execute();
    await scope.deleteFrom('members').where('id', 'in', ids.slice(100, 102)).execute();

    const instants = [today, today - 4 * DAY + 9 * HOUR, today - 9 * DAY + 23 * HOUR];
    await expectEqualOver(scope, windowsOf(instants, [3, 10, 30]), {
      candidates: 200,
      minStrength: 1,
      edges: 20_000,
    });
  }, 180_000);
});
