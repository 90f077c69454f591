import { type RawBuilder, sql } from 'kysely';

/** Validity thresholds; the contract documents them. */
export const ABSURD_PRICE = 1_000_000;
export const ABSURD_QUANTITY = 10_000;
export const FUTURE_TOLERANCE_SECONDS = 60;

const blank = (column: string) => sql`coalesce(${sql.ref(column)}, '') = ''`;
const future = sql`timestamp > received_at + ${`${FUTURE_TOLERANCE_SECONDS} seconds`}::interval`;

/**
 * What data quality counts per event, as conditions on an `events` row, named as the columns
 * of `quality_rollups`. One definition for the raw scan, the rollup job and the raw edges of
 * a kept read, so the three can never count differently. `invalid_values` leaves out unknown
 * types: those depend on the declared types at read time.
 */
export const QUALITY_FLAGS = {
  missing_user_id: blank('user_id'),
  missing_anonymous_id: blank('anonymous_id'),
  missing_identity: sql`${blank('user_id')} and ${blank('anonymous_id')}`,
  missing_session: blank('session_id'),
  missing_product_id: blank('product_id'),
  missing_currency: blank('currency'),
  negative_price: sql`price < 0`,
  absurd_price: sql`price > ${ABSURD_PRICE}`,
  negative_quantity: sql`quantity < 0`,
  absurd_quantity: sql`quantity > ${ABSURD_QUANTITY}`,
  future,
  invalid_values: sql`((price < 0 or price > ${ABSURD_PRICE})
    or (quantity < 0 or quantity > ${ABSURD_QUANTITY}) or ${future})`,
} satisfies Record<string, RawBuilder<unknown>>;

export type QualityFlag = keyof typeof QUALITY_FLAGS;
export const QUALITY_FLAG_NAMES = Object.keys(QUALITY_FLAGS) as QualityFlag[];

/** Ingestion lag in seconds, as the percentiles order it (early-stamped events count as 0). */
export const LAG_SECONDS = sql`greatest(0, extract(epoch from received_at - timestamp))::float8`;

/**
 * The band of a lag (a float8 SQL expression): 10 ms wide below 10 s, 1 s below 1,000 s, 1 h
 * beyond. Non-decreasing in the lag, so bands split the sorted lags into consecutive runs.
 * Frozen with the rows of `quality_lag_bands` that migration 0012 wrote with it.
 */
export const lagBand = (
  lag: RawBuilder<unknown>,
) => sql`case when ${lag} < 10 then floor(${lag} * 100)::int4
    when ${lag} < 1000 then 1000 + floor(${lag})::int4
    else 2000 + floor(${lag} / 3600)::int4 end`;

/** `count(*) filter (…) as <flag>` for every flag, over `events` rows. */
export const flagCounts = () =>
  sql.join(
    QUALITY_FLAG_NAMES.map(
      (name) => sql`count(*) filter (where ${QUALITY_FLAGS[name]}) as ${sql.ref(name)}`,
    ),
  );
