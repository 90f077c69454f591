import type { WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';

const count = (expression = sql`count(*)`) => sql<string>`${expression}`;

/** All-time events by type from the hour rollups (one row per type and hour). */
export async function eventTotalsByType(scope: WorkspaceScope) {
  const rows = await scope
    .selectFrom('event_rollups')
    .select(['type', sql<string>`sum(count)`.as('count')])
    .where('resolution', '=', '1h')
    .groupBy('type')
    .orderBy(sql`sum(count)`, 'desc')
    .orderBy('type')
    .execute();
  return rows.map((row) => ({ type: row.type, count: Number(row.count) }));
}

export async function pendingEventMinutes(scope: WorkspaceScope): Promise<number> {
  const row = await scope
    .selectFrom('rollup_dirty')
    .select(count(sql`count(distinct bucket)`).as('minutes'))
    .where('source', '=', 'events')
    .executeTakeFirstOrThrow();
  return Number(row.minutes);
}

/** Oldest and newest raw event: two probes of the (workspace, timestamp) primary key. */
export async function eventTimeBounds(scope: WorkspaceScope) {
  const row = await scope
    .selectFrom('events')
    .select([
      sql<Date | null>`min(timestamp)`.as('first'),
      sql<Date | null>`max(timestamp)`.as('last'),
    ])
    .executeTakeFirstOrThrow();
  return { first: row.first, last: row.last };
}

export interface RecentActivity {
  events: number;
  users: number;
  sessions: number;
}

/**
 * The kept activity of the window [from, to) when it still holds: no event of the window is
 * marked dirty, and none was rolled up after it was counted (an event that landed later was,
 * since `computed_at` is the counting statement's start). Undefined when it must be recounted.
 */
export async function keptRecentActivity(
  scope: WorkspaceScope,
  from: Date,
  to: Date,
): Promise<RecentActivity | undefined> {
  const { rows } = await scope.executeRaw(sql<{ events: string; people: string; sessions: string }>`
    select k.events, k.people, k.sessions
    from recent_activity_windows k
    where k.workspace_id = ${scope.workspaceId} and k.window_start = ${from}
      and k.window_end = ${to}
      and not exists (
        select 1 from rollup_dirty d
        where d.workspace_id = k.workspace_id and d.source = 'events'
          and d.bucket >= k.window_start and d.bucket < k.window_end)
      and not exists (
        select 1 from event_rollups r
        where r.workspace_id = k.workspace_id and r.resolution = '1h'
          and r.bucket >= k.window_start and r.bucket < k.window_end
          and r.updated_at > k.computed_at)`);
  const row = rows[0];
  if (!row) return undefined;
  return { events: Number(row.events), users: Number(row.people), sessions: Number(row.sessions) };
}

/** Counts [from, to) from raw events and keeps the answer for the next reads. */
export async function countRecentActivity(
  scope: WorkspaceScope,
  from: Date,
  to: Date,
): Promise<RecentActivity> {
  // Distinct through hashing subqueries rather than count(distinct), which sorts each column.
  const { rows } = await scope.executeRaw(sql<{ events: string; people: string; sessions: string }>`
    with recent as materialized (
      select coalesce('u:' || user_id, 'a:' || anonymous_id) as person, session_id
      from events
      where workspace_id = ${scope.workspaceId}::uuid and timestamp >= ${from} and timestamp < ${to}
    ),
    counted as (
      select (select count(*) from recent) as events,
             -- Prefixed so a user id and an anonymous id that happen to be equal stay two people.
             (select count(*) from (select distinct person from recent where person is not null) p)
               as people,
             (select count(*) from (select distinct session_id from recent
                                    where session_id is not null) s) as sessions
    ),
    kept as (
      insert into recent_activity_windows (workspace_id, window_start, window_end, events, people,
                                           sessions, computed_at)
      select ${scope.workspaceId}::uuid, ${from}, ${to}, events, people, sessions, now()
      from counted
      on conflict (workspace_id) do update
        set window_start = excluded.window_start, window_end = excluded.window_end,
            events = excluded.events, people = excluded.people, sessions = excluded.sessions,
            computed_at = excluded.computed_at
    )
    select events, people, sessions from counted`);
  const row = rows[0];
  return {
    events: Number(row?.events ?? 0),
    users: Number(row?.people ?? 0),
    sessions: Number(row?.sessions ?? 0),
  };
}

export async function metricTotals(scope: WorkspaceScope) {
  const row = await scope
    .selectFrom('metric_rollups')
    .select([
      count(sql`coalesce(sum(count), 0)`).as('points'),
      count(sql`count(distinct name)`).as('names'),
    ])
    .where('resolution', '=', '1h')
    .executeTakeFirstOrThrow();
  return { points: Number(row.points), names: Number(row.names) };
}

export async function derivedRowCounts(scope: WorkspaceScope) {
  const [events, metrics, schemas] = await Promise.all([
    scope.selectFrom('event_rollups').select(count().as('n')).executeTakeFirstOrThrow(),
    scope.selectFrom('metric_rollups').select(count().as('n')).executeTakeFirstOrThrow(),
    scope.selectFrom('event_schemas').select(count().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    eventRollupRows: Number(events.n),
    metricRollupRows: Number(metrics.n),
    eventSchemas: Number(schemas.n),
  };
}
