import type { WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';
import { epochBucket } from '../../metrics/metrics.queries.js';
import { readWithoutJit, type WindowSpan } from './commerce.queries.js';

/** The key for people with an event of any type. Event types are never empty. */
export const ANY_TYPE = '';

/** window start (ms) → key → distinct people. */
export type PeopleByWindow = Map<number, Map<string, number>>;

interface StateRow {
  kind: 'memo' | 'changed' | 'dirty';
  bucket: Date;
  key: string | null;
  people: number | null;
  at: Date | null;
}

// People are counted by user id, else anonymous id, as the rollups count them.
const person = sql`coalesce(user_id, anonymous_id)`;

/**
 * Distinct people per window for each key (an event type or ANY_TYPE), exact. They do not add
 * up across buckets, so they come from raw events, but only once per window: the answer is
 * kept in `analytics_window_people` and reused until the window's rollup rows are rewritten
 * after it was computed (which happens after any event lands in the window) or the window
 * has dirty marks (events not rolled up yet). `computed_at` is the computing statement's
 * start, so an event it did not see is rolled up later than that and invalidates it.
 */
export async function peoplePerWindow(
  scope: WorkspaceScope,
  span: WindowSpan,
  keys: readonly string[],
): Promise<PeopleByWindow> {
  const { rows } = await readWithoutJit(scope, windowState(scope, span, keys));
  const memo: PeopleByWindow = new Map();
  const computedAt = new Map<number, number>();
  const changedAt = new Map<number, number>();
  const dirty = new Set<number>();
  for (const row of rows) {
    const at = new Date(row.bucket).getTime();
    if (row.kind === 'dirty') dirty.add(at);
    else if (row.kind === 'changed') changedAt.set(at, new Date(row.at as Date).getTime());
    else {
      memo.set(at, (memo.get(at) ?? new Map()).set(row.key as string, Number(row.people)));
      const when = new Date(row.at as Date).getTime();
      computedAt.set(at, Math.min(computedAt.get(at) ?? when, when));
    }
  }
  const size = span.seconds * 1000;
  const stale: Date[] = [];
  for (let at = span.from.getTime(); at < span.to.getTime(); at += size) {
    const kept = memo.get(at);
    const fresh =
      kept !== undefined &&
      keys.every((key) => kept.has(key)) &&
      !dirty.has(at) &&
      (changedAt.get(at) ?? 0) <= (computedAt.get(at) ?? 0);
    if (!fresh) stale.push(new Date(at));
  }
  if (stale.length > 0) {
    for (const [at, values] of await recomputeWindows(scope, span.seconds, stale, keys)) {
      memo.set(at, values);
    }
  }
  return memo;
}

function windowState(scope: WorkspaceScope, span: WindowSpan, keys: readonly string[]) {
  const resolution = span.seconds % 3_600 === 0 ? '1h' : '1m';
  return sql<StateRow>`
    select 'memo' as kind, bucket, key, people::float8 as people, computed_at as at
    from analytics_window_people
    where workspace_id = ${scope.workspaceId} and window_seconds = ${span.seconds}
      and key = any(${keys}::text[]) and bucket >= ${span.from} and bucket < ${span.to}
    union all
    select 'changed', ${epochBucket(sql`bucket`, span.seconds)}, null::text, null::float8,
           max(updated_at)
    from event_rollups
    where workspace_id = ${scope.workspaceId} and resolution = ${resolution}
      and bucket >= ${span.from} and bucket < ${span.to}
    group by 2
    union all
    select distinct 'dirty', ${epochBucket(sql`bucket`, span.seconds)}, null::text, null::float8,
           null::timestamptz
    from rollup_dirty
    where workspace_id = ${scope.workspaceId} and source = 'events'
      and bucket >= ${span.from} and bucket < ${span.to}`;
}

/** Counts the windows from raw events (one index range per window), stores and answers them. */
async function recomputeWindows(
  scope: WorkspaceScope,
  seconds: number,
  windows: readonly Date[],
  keys: readonly string[],
): Promise<PeopleByWindow> {
  const types = keys.filter((key) => key !== ANY_TYPE);
  // With ANY_TYPE every event of the window is read anyway, so one pass groups both ways.
  const perWindow = keys.includes(ANY_TYPE)
    ? sql`select coalesce(type, ${ANY_TYPE}) as key, count(distinct ${person}) as people
          from events
          where workspace_id = ${scope.workspaceId}
            and timestamp >= t.bucket and timestamp < t.bucket + ${seconds}::int * interval '1 second'
          group by grouping sets ((type), ())`
    : sql`select type as key, count(distinct ${person}) as people
          from events
          where workspace_id = ${scope.workspaceId} and type = any(${types}::text[])
            and timestamp >= t.bucket and timestamp < t.bucket + ${seconds}::int * interval '1 second'
          group by type`;
  const { rows } = await readWithoutJit(
    scope,
    sql<{ bucket: Date; key: string; people: number }>`
    with target as (
      select unnest(${windows.map((w) => w.toISOString())}::timestamptz[]) as bucket
    ),
    counted as (
      -- OFFSET 0 keeps each window an index range scan of its own.
      select t.bucket, c.key, c.people
      from target t cross join lateral (${perWindow} offset 0) c
    ),
    fresh as (
      select w.bucket, k.key, coalesce(c.people, 0) as people
      from target w
      cross join unnest(${keys}::text[]) as k(key)
      left join counted c on c.bucket = w.bucket and c.key = k.key
    ),
    saved as (
      insert into analytics_window_people (workspace_id, window_seconds, key, bucket, people,
                                           computed_at)
      select ${scope.workspaceId}::uuid, ${seconds}, key, bucket, people, now() from fresh
      on conflict (workspace_id, window_seconds, key, bucket) do update
        set people = excluded.people, computed_at = excluded.computed_at
    )
    select bucket, key, people::float8 as people from fresh`,
  );
  const fresh: PeopleByWindow = new Map();
  for (const row of rows) {
    const at = new Date(row.bucket).getTime();
    fresh.set(at, (fresh.get(at) ?? new Map()).set(row.key, Number(row.people)));
  }
  return fresh;
}
