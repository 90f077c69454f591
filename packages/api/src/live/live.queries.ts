import type { WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';

const MINUTE_MS = 60_000;
const FIVE_MINUTES_MS = 5 * MINUTE_MS;
const HOUR_MS = 60 * MINUTE_MS;

export interface OverviewFigures {
  eventsLastMinute: number;
  eventsLastFiveMinutes: number;
  errorsLastFiveMinutes: number;
  activeUsers: number;
  revenue: number;
}

/**
 * The overview's figures from raw events, windows ending at `at` (inclusive) and bounded on
 * both sides so only the partitions of the last hour are read. Two statements: the 5-minute
 * window is scanned once for four figures; revenue reads purchases through the type index.
 */
export async function overviewFigures(scope: WorkspaceScope, at: Date): Promise<OverviewFigures> {
  const minuteAgo = new Date(at.getTime() - MINUTE_MS);
  const fiveMinutesAgo = new Date(at.getTime() - FIVE_MINUTES_MS);
  const hourAgo = new Date(at.getTime() - HOUR_MS);
  const recent = await scope
    .selectFrom('events')
    .select([
      sql<string>`count(*) filter (where timestamp > ${minuteAgo})`.as('last_minute'),
      sql<string>`count(*)`.as('last_five'),
      sql<string>`count(*) filter (where type = 'error' or right(type, 6) = '_error')`.as('errors'),
      // Prefixed so a user id and an anonymous id that happen to be equal stay two people.
      sql<string>`count(distinct coalesce('u:' || user_id, 'a:' || anonymous_id))`.as('users'),
    ])
    .where('timestamp', '>', fiveMinutesAgo)
    .where('timestamp', '<=', at)
    .executeTakeFirstOrThrow();
  const purchases = await scope
    .selectFrom('events')
    .select(sql<string | null>`sum(price * coalesce(quantity, 1))`.as('revenue'))
    .where('type', '=', 'purchase')
    .where('timestamp', '>', hourAgo)
    .where('timestamp', '<=', at)
    .executeTakeFirstOrThrow();
  return {
    eventsLastMinute: Number(recent.last_minute),
    eventsLastFiveMinutes: Number(recent.last_five),
    errorsLastFiveMinutes: Number(recent.errors),
    activeUsers: Number(recent.users),
    revenue: Number(purchases.revenue ?? 0),
  };
}
