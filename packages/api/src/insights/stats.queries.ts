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

export async function recentActivity(scope: WorkspaceScope, since: Date, until: Date) {
  const row = await scope
    .selectFrom('events')
    .select([
      count().as('events'),
      // Prefixed so a user id and an anonymous id that happen to be equal stay two people.
      count(sql`count(distinct coalesce('u:' || user_id, 'a:' || anonymous_id))`).as('users'),
      count(sql`count(distinct session_id)`).as('sessions'),
    ])
    .where('timestamp', '>=', since)
    .where('timestamp', '<', until)
    .executeTakeFirstOrThrow();
  return { events: Number(row.events), users: Number(row.users), sessions: Number(row.sessions) };
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
