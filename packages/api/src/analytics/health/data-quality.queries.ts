import type { WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';
import { LAG_SECONDS, QUALITY_FLAGS } from './quality-flags.js';

export interface QualityCounts {
  events: number;
  missingUserId: number;
  missingAnonymousId: number;
  missingIdentity: number;
  missingSession: number;
  missingProductId: number;
  missingCurrency: number;
  negativePrice: number;
  absurdPrice: number;
  negativeQuantity: number;
  absurdQuantity: number;
  future: number;
  unknownType: number;
  invalid: number;
  lagP50: number | null;
  lagP95: number | null;
  lagMax: number | null;
}

/**
 * Every count of completeness and validity, and the lag percentiles, in one scan of the
 * range's raw events. `knownTypes` null means types are not checked (none declared).
 */
export async function qualityCounts(
  scope: WorkspaceScope,
  range: { from: Date; to: Date },
  knownTypes: readonly string[] | null,
): Promise<QualityCounts> {
  const unknown = knownTypes ? sql`type <> all(${knownTypes as string[]}::text[])` : sql`false`;
  const flag = QUALITY_FLAGS;
  const { rows } = await scope.executeRaw(sql<Record<keyof QualityCounts, string | number | null>>`
    select count(*) as "events",
      count(*) filter (where ${flag.missing_user_id}) as "missingUserId",
      count(*) filter (where ${flag.missing_anonymous_id}) as "missingAnonymousId",
      count(*) filter (where ${flag.missing_identity}) as "missingIdentity",
      count(*) filter (where ${flag.missing_session}) as "missingSession",
      count(*) filter (where ${flag.missing_product_id}) as "missingProductId",
      count(*) filter (where ${flag.missing_currency}) as "missingCurrency",
      count(*) filter (where ${flag.negative_price}) as "negativePrice",
      count(*) filter (where ${flag.absurd_price}) as "absurdPrice",
      count(*) filter (where ${flag.negative_quantity}) as "negativeQuantity",
      count(*) filter (where ${flag.absurd_quantity}) as "absurdQuantity",
      count(*) filter (where ${flag.future}) as "future",
      count(*) filter (where ${unknown}) as "unknownType",
      count(*) filter (where ${flag.invalid_values} or ${unknown}) as "invalid",
      percentile_cont(0.5) within group (order by ${LAG_SECONDS}) as "lagP50",
      percentile_cont(0.95) within group (order by ${LAG_SECONDS}) as "lagP95",
      max(${LAG_SECONDS}) as "lagMax"
    from events
    where workspace_id = ${scope.workspaceId}::uuid
      and timestamp >= ${range.from} and timestamp < ${range.to}`);
  const row = rows[0];
  const counts = {} as QualityCounts;
  for (const [key, value] of Object.entries(row ?? {})) {
    (counts as unknown as Record<string, number | null>)[key] =
      value === null ? null : Number(value);
  }
  return counts;
}

/** Events per type in the range: the types not in `knownTypes` (top `limit`), or exactly `onlyTypes`. */
export async function countByType(
  scope: WorkspaceScope,
  range: { from: Date; to: Date },
  filter: { notIn: readonly string[] } | { in: readonly string[] },
  limit: number,
): Promise<{ type: string; count: number }[]> {
  let query = scope
    .selectFrom('events')
    .select(['type', sql<string>`count(*)`.as('count')])
    .where('timestamp', '>=', range.from)
    .where('timestamp', '<', range.to);
  query =
    'in' in filter
      ? query.where('type', '=', sql<string>`any(${filter.in as string[]}::text[])`)
      : query.where('type', '<>', sql<string>`all(${filter.notIn as string[]}::text[])`);
  const rows = await query
    .groupBy('type')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('type')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ type: row.type, count: Number(row.count) }));
}

/** The newest `limit` events' properties of one type in the range (the type index, backwards). */
export async function newestProperties(
  scope: WorkspaceScope,
  type: string,
  range: { from: Date; to: Date },
  limit: number,
): Promise<unknown[]> {
  const rows = await scope
    .selectFrom('events')
    .select('properties')
    .where('type', '=', type)
    .where('timestamp', '>=', range.from)
    .where('timestamp', '<', range.to)
    .orderBy('timestamp', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.properties);
}

export interface IngestTotals {
  batches: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

/** Ingestion's own counters for event batches recorded in the range (all time without one). */
export async function ingestTotals(
  scope: WorkspaceScope,
  range?: { from: Date; to: Date },
): Promise<IngestTotals> {
  let query = scope
    .selectFrom('ingest_stats')
    .select([
      sql<string>`count(*)`.as('batches'),
      sql<string>`coalesce(sum(accepted), 0)`.as('accepted'),
      sql<string>`coalesce(sum(duplicates), 0)`.as('duplicates'),
      sql<string>`coalesce(sum(rejected), 0)`.as('rejected'),
    ])
    .where('source', '=', 'events');
  if (range) {
    query = query.where('recorded_at', '>=', range.from).where('recorded_at', '<', range.to);
  }
  const row = await query.executeTakeFirstOrThrow();
  return {
    batches: Number(row.batches),
    accepted: Number(row.accepted),
    duplicates: Number(row.duplicates),
    rejected: Number(row.rejected),
  };
}
