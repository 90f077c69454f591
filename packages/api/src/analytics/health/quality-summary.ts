import type { WorkspaceScope } from '@pulse/db';
import { countByType, type QualityCounts, qualityCounts } from './data-quality.queries.js';
import { QUALITY_FLAG_NAMES } from './quality-flags.js';
import { type KeptQuality, keptQuality, type LagRun } from './quality-rollups.queries.js';

const HOUR_MS = 3_600_000;
const TOP_UNKNOWN_TYPES = 20;

/** The types a workspace declares: `known` null when none is (types are then not checked). */
export interface DeclaredTypes {
  known: readonly string[] | null;
  /** Types with a registered property schema. */
  registered: readonly string[];
}

/** Everything data quality counts over the events of a range. */
export interface QualitySummary {
  counts: QualityCounts;
  /** Undeclared types by events, most first (up to 20). */
  unknownTop: { type: string; count: number }[];
  /** Events of each registered type that has any. */
  eventsOfType: Map<string, number>;
}

/**
 * From the kept hourly counts when the range holds a whole hour (see keptQuality), else from
 * its raw events, which are then at most two partial hours.
 */
export function qualitySummary(
  scope: WorkspaceScope,
  range: { from: Date; to: Date },
  declared: DeclaredTypes,
): Promise<QualitySummary> {
  const wholeHour =
    Math.ceil(range.from.getTime() / HOUR_MS) < Math.floor(range.to.getTime() / HOUR_MS);
  return wholeHour
    ? qualityFromRollups(scope, range, declared)
    : qualityFromEvents(scope, range, declared);
}

/** The reference: one scan of the range's raw events, plus type counts when needed. */
export async function qualityFromEvents(
  scope: WorkspaceScope,
  range: { from: Date; to: Date },
  declared: DeclaredTypes,
): Promise<QualitySummary> {
  const { known, registered } = declared;
  const counts = await qualityCounts(scope, range, known);
  const unknownTop =
    known && counts.unknownType > 0
      ? await countByType(scope, range, { notIn: known }, TOP_UNKNOWN_TYPES)
      : [];
  const ofRegistered =
    registered.length > 0
      ? await countByType(scope, range, { in: registered }, registered.length)
      : [];
  return {
    counts,
    unknownTop,
    eventsOfType: new Map(ofRegistered.map((row) => [row.type, row.count])),
  };
}

/** The same figures from the kept per-hour, per-type counts and lag multisets. */
export async function qualityFromRollups(
  scope: WorkspaceScope,
  range: { from: Date; to: Date },
  declared: DeclaredTypes,
): Promise<QualitySummary> {
  return summarise(await keptQuality(scope, range), declared);
}

export function summarise(kept: KeptQuality, declared: DeclaredTypes): QualitySummary {
  const known = declared.known ? new Set(declared.known) : null;
  const unknown = kept.types.filter((row) => known !== null && !known.has(row.type));
  const sum = (pick: (row: KeptQuality['types'][number]) => number) =>
    kept.types.reduce((total, row) => total + pick(row), 0);
  const flags = Object.fromEntries(QUALITY_FLAG_NAMES.map((name) => [name, sum((r) => r[name])]));
  const events = sum((row) => row.events);
  const unknownType = unknown.reduce((total, row) => total + row.events, 0);
  const lags = kept.lagRuns;
  const counts: QualityCounts = {
    events,
    missingUserId: flags.missing_user_id ?? 0,
    missingAnonymousId: flags.missing_anonymous_id ?? 0,
    missingIdentity: flags.missing_identity ?? 0,
    missingSession: flags.missing_session ?? 0,
    missingProductId: flags.missing_product_id ?? 0,
    missingCurrency: flags.missing_currency ?? 0,
    negativePrice: flags.negative_price ?? 0,
    absurdPrice: flags.absurd_price ?? 0,
    negativeQuantity: flags.negative_quantity ?? 0,
    absurdQuantity: flags.absurd_quantity ?? 0,
    future: flags.future ?? 0,
    unknownType,
    // An event of an undeclared type is invalid whatever its values.
    invalid: sum((row) =>
      known !== null && !known.has(row.type) ? row.events : row.invalid_values,
    ),
    lagP50: percentileCont(lags, events, 0.5),
    lagP95: percentileCont(lags, events, 0.95),
    lagMax: kept.lagMax,
  };
  const registered = new Set(declared.registered);
  return {
    counts,
    unknownTop: unknown
      .slice(0, TOP_UNKNOWN_TYPES)
      .map((row) => ({ type: row.type, count: row.events })),
    eventsOfType: new Map(
      kept.types.filter((row) => registered.has(row.type)).map((row) => [row.type, row.events]),
    ),
  };
}

/**
 * PostgreSQL's `percentile_cont` over `total` sorted values given as runs of equal values,
 * step for step in the same float8 arithmetic, so the result is the same to the last bit.
 */
export function percentileCont(
  runs: readonly LagRun[],
  total: number,
  share: number,
): number | null {
  if (total === 0) return null;
  const position = share * (total - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const at = (rank: number) => {
    const run = runs.find((r) => rank >= r.upto - r.events && rank < r.upto);
    if (!run) throw new Error(`no lag run holds rank ${rank} of ${total}`);
    return run.lag;
  };
  const lowValue = at(low);
  if (high === low) return lowValue;
  return lowValue + (position - low) * (at(high) - lowValue);
}
