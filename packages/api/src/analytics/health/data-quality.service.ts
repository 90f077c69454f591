import type { WorkspaceContext } from '../../auth/caller.js';
import { cachedRead } from '../../cached-read.js';
import { PulseError } from '../../errors.js';
import { lastEventAt } from '../commerce/commerce.queries.js';
import { getCommerceSettings } from '../commerce/index.js';
import {
  DATA_QUALITY_WEIGHTS,
  type DataQualityInput,
  type DataQualityOutput,
  MAX_QUALITY_RANGE_DAYS,
} from './data-quality.contract.js';
import { ingestTotals, type QualityCounts } from './data-quality.queries.js';
import { LAG_STATUS_SCORE, lagStatus } from './lag-bands.js';
import type { PropertySchema } from './property-schema.js';
import { qualitySummary } from './quality-summary.js';
import { checkCompliance, type RegisteredSchema } from './schema-compliance.js';
import { listLatestSchemas } from './schemas.queries.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const QUALITY_TTL_SECONDS = 60;

export function resolveQualityRange(input: DataQualityInput, now = Date.now()) {
  const to = input?.to ? new Date(input.to) : new Date(now);
  const from = input?.from ? new Date(input.from) : new Date(to.getTime() - DAY_MS);
  if (from >= to)
    throw new PulseError('VALIDATION_FAILED', 'from must be before to', { field: 'from' });
  if (to.getTime() - from.getTime() > MAX_QUALITY_RANGE_DAYS * DAY_MS) {
    throw new PulseError(
      'VALIDATION_FAILED',
      `the range may span at most ${MAX_QUALITY_RANGE_DAYS} days`,
      {
        field: 'from',
      },
    );
  }
  return { from, to };
}

/** Cached per range; a default range moves with the minute, so it is recomputed each minute. */
export function dataQuality(
  ctx: WorkspaceContext,
  input: DataQualityInput,
): Promise<DataQualityOutput> {
  const explicit = input?.to !== undefined;
  const now = explicit ? Date.now() : Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
  const range = resolveQualityRange(input, now);
  return cachedRead(ctx, {
    topic: 'data-quality',
    parts: [range.from.toISOString(), range.to.toISOString()],
    ttlSeconds: QUALITY_TTL_SECONDS,
    compute: () => computeDataQuality(ctx, range),
  });
}

export async function registeredSchemas(ctx: WorkspaceContext): Promise<RegisteredSchema[]> {
  const rows = await listLatestSchemas(ctx.scope, Number.MAX_SAFE_INTEGER);
  return rows.map((row) => ({
    type: row.type,
    version: row.version,
    schema: row.schema as PropertySchema,
  }));
}

/** Declared types: a registered schema, or a commerce event type of the workspace's settings. */
async function knownTypesOf(ctx: WorkspaceContext, schemas: readonly RegisteredSchema[]) {
  if (schemas.length === 0) return null;
  const settings = await getCommerceSettings(ctx);
  const commerce = [settings.pageViewType, settings.addToCartType, settings.purchaseType];
  return [...new Set([...schemas.map((s) => s.type), ...commerce])].sort();
}

export async function computeDataQuality(
  ctx: WorkspaceContext,
  range: { from: Date; to: Date },
): Promise<DataQualityOutput> {
  const now = new Date();
  const schemas = await registeredSchemas(ctx);
  const knownTypes = await knownTypesOf(ctx, schemas);
  const { counts, unknownTop, eventsOfType } = await qualitySummary(ctx.scope, range, {
    known: knownTypes,
    registered: schemas.map((s) => s.type),
  });
  const [last, ingest, compliance] = [
    await lastEventAt(ctx.scope, now),
    await ingestTotals(ctx.scope, range),
    await checkCompliance(ctx.scope, range, schemas, eventsOfType),
  ];
  const rate = (count: number, of: number) => (of === 0 ? 0 : count / of);
  const counted = (count: number) => ({ count, rate: rate(count, counts.events) });
  const hasEvents = counts.events > 0;
  const status = hasEvents && counts.lagP95 !== null ? lagStatus(counts.lagP95) : null;
  const ingested = ingest.accepted + ingest.duplicates + ingest.rejected;
  const parts = {
    completeness: hasEvents
      ? 1 -
        (rate(counts.missingIdentity, counts.events) + rate(counts.missingSession, counts.events)) /
          2
      : null,
    validity: hasEvents ? 1 - rate(counts.invalid, counts.events) : null,
    timeliness: status ? LAG_STATUS_SCORE[status] : null,
    consistency: ingested > 0 ? 1 - (ingest.duplicates + ingest.rejected) / ingested : null,
    schemaCompliance: compliance.score,
  };
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    events: counts.events,
    score: overallScore(parts),
    weights: DATA_QUALITY_WEIGHTS,
    completeness: {
      score: parts.completeness,
      missingIdentity: counted(counts.missingIdentity),
      missingSession: counted(counts.missingSession),
      fields: fieldCompleteness(counts, counted),
    },
    validity: {
      score: parts.validity,
      invalidEvents: counted(counts.invalid),
      negativePrice: counts.negativePrice,
      absurdPrice: counts.absurdPrice,
      negativeQuantity: counts.negativeQuantity,
      absurdQuantity: counts.absurdQuantity,
      futureTimestamps: counts.future,
      unknownTypes: {
        checked: knownTypes !== null,
        knownTypes: knownTypes ?? [],
        count: counts.unknownType,
        top: unknownTop,
      },
    },
    timeliness: {
      score: parts.timeliness,
      lastEventAt: last?.toISOString() ?? null,
      freshnessSeconds: last ? (now.getTime() - last.getTime()) / 1000 : null,
      lagSeconds: hasEvents
        ? { p50: counts.lagP50, p95: counts.lagP95, max: counts.lagMax }
        : { p50: null, p95: null, max: null },
      status,
    },
    consistency: {
      score: parts.consistency,
      ...ingest,
      duplicateRate: rate(ingest.duplicates, ingested),
      rejectedRate: rate(ingest.rejected, ingested),
    },
    schemaCompliance: compliance,
  };
}

function fieldCompleteness(
  counts: QualityCounts,
  counted: (count: number) => { count: number; rate: number },
) {
  return {
    userId: counted(counts.missingUserId),
    anonymousId: counted(counts.missingAnonymousId),
    sessionId: counted(counts.missingSession),
    productId: counted(counts.missingProductId),
    currency: counted(counts.missingCurrency),
  };
}

/** Weighted mean over the parts that apply, × 100, one decimal; null when none applies. */
export function overallScore(
  parts: Record<keyof typeof DATA_QUALITY_WEIGHTS, number | null>,
): number | null {
  let weighted = 0;
  let weights = 0;
  for (const [part, weight] of Object.entries(DATA_QUALITY_WEIGHTS)) {
    const value = parts[part as keyof typeof DATA_QUALITY_WEIGHTS];
    if (value === null) continue;
    weighted += value * weight;
    weights += weight;
  }
  return weights === 0 ? null : Math.round((weighted / weights) * 1000) / 10;
}
