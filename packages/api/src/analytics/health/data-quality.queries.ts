import type { WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';

/** Validity thresholds; the contract documents them. */
export const ABSURD_PRICE = 1_000_000;
export const ABSURD_QUANTITY = 10_000;
export const FUTURE_TOLERANCE_SECONDS = 60;

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

const blank = (column: string) => sql`coalesce(${sql.ref(column)}, '') = ''`;

/**
 * Every count of completeness and validity, and the lag percentiles, in one scan of the
 * range. `knownTypes` null means types are not checked (none declared).
 */
export async function qualityCounts(
  scope: WorkspaceScope,
  range: { from: Date; to: Date },
  knownTypes: readonly string[] | null,
): Promise<QualityCounts> {
  const unknown = knownTypes ? sql`type <> all(${knownTypes as string[]}::text[])` : sql`false`;
  const future = sql`timestamp > received_at + ${`${FUTURE_TOLERANCE_SECONDS} seconds`}::interval`;
  const badPrice = sql`(price < 0 or price > ${ABSURD_PRICE})`;
  const badQuantity = sql`(quantity < 0 or quantity > ${ABSURD_QUANTITY})`;
  const lag = sql`greatest(0, extract(epoch from received_at - timestamp))::float8`;
  const { rows } = await scope.executeRaw(sql<Record<keyof QualityCounts, string | number | null>>`
    select count(*) as "events",
      count(*) filter (where ${blank('user_id')}) as "missingUserId",
      count(*) filter (where ${blank('anonymous_id')}) as "missingAnonymousId",
      count(*) filter (where ${blank('user_id')} and ${blank('anonymous_id')}) as "missingIdentity",
      count(*) filter (where ${blank('session_id')}) as "missingSession",
      count(*) filter (where ${blank('product_id')}) as "missingProductId",
      count(*) filter (where ${blank('currency')}) as "missingCurrency",
      count(*) filter (where price < 0) as "negativePrice",
      count(*) filter (where price > ${ABSURD_PRICE}) as "absurdPrice",
      count(*) filter (where quantity < 0) as "negativeQuantity",
      count(*) filter (where quantity > ${ABSURD_QUANTITY}) as "absurdQuantity",
      count(*) filter (where ${future}) as "future",
      count(*) filter (where ${unknown}) as "unknownType",
      count(*) filter (where ${badPrice} or ${badQuantity} or ${future} or ${unknown}) as "invalid",
      percentile_cont(0.5) within group (order by ${lag}) as "lagP50",
      percentile_cont(0.95) within group (order by ${lag}) as "lagP95",
      max(${lag}) as "lagMax"
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
