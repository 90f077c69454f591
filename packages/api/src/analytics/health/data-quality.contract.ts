import { z } from 'zod';
import { timestampSchema } from '../../fields.js';
import type { PulseMeta } from '../../trpc.js';
import { LAG_STATUSES } from './lag-bands.js';

export const MAX_QUALITY_RANGE_DAYS = 31;

export const dataQualityInput = z
  .strictObject({
    from: timestampSchema
      .optional()
      .describe('Inclusive, on event timestamp; default: 24 h before `to`'),
    to: timestampSchema
      .optional()
      .describe('Exclusive; default: now rounded down to the minute, so the answer can be cached'),
  })
  .optional();

const share = z.number().min(0).max(1);
const counted = z.object({ count: z.number().int(), rate: share });
const nullableScore = share.nullable().describe('0–1; null when nothing in the range applies');

export const DATA_QUALITY_WEIGHTS = {
  completeness: 0.25,
  validity: 0.25,
  timeliness: 0.15,
  consistency: 0.15,
  schemaCompliance: 0.2,
} as const;

export const dataQualityOutput = z.object({
  from: timestampSchema,
  to: timestampSchema,
  events: z.number().int().describe('Events whose timestamp is in [from, to)'),
  score: z
    .number()
    .min(0)
    .max(100)
    .nullable()
    .describe(
      'Weighted mean of the part scores × 100; parts that do not apply are left out and the other weights rescaled',
    ),
  weights: z.object({
    completeness: z.literal(DATA_QUALITY_WEIGHTS.completeness),
    validity: z.literal(DATA_QUALITY_WEIGHTS.validity),
    timeliness: z.literal(DATA_QUALITY_WEIGHTS.timeliness),
    consistency: z.literal(DATA_QUALITY_WEIGHTS.consistency),
    schemaCompliance: z.literal(DATA_QUALITY_WEIGHTS.schemaCompliance),
  }),
  completeness: z.object({
    score: nullableScore.describe('1 − mean(missingIdentity.rate, missingSession.rate)'),
    missingIdentity: counted.describe('Neither userId nor anonymousId (null or empty)'),
    missingSession: counted.describe('No sessionId (null or empty)'),
    fields: z
      .record(z.string(), counted)
      .describe('Null or empty per field: userId, anonymousId, sessionId, productId, currency'),
  }),
  validity: z.object({
    score: nullableScore.describe('1 − invalidEvents.rate'),
    invalidEvents: counted.describe('Events with at least one of the problems below'),
    negativePrice: z.number().int(),
    absurdPrice: z.number().int().describe('price above 1,000,000 per unit'),
    negativeQuantity: z.number().int(),
    absurdQuantity: z.number().int().describe('quantity above 10,000'),
    futureTimestamps: z.number().int().describe('timestamp more than 60 s after received_at'),
    unknownTypes: z.object({
      checked: z
        .boolean()
        .describe('false until the workspace registers a schema: without one, no type is declared'),
      knownTypes: z
        .array(z.string())
        .describe('Types with a registered schema, plus the commerce event types of the settings'),
      count: z.number().int(),
      top: z.array(z.object({ type: z.string(), count: z.number().int() })).describe('Up to 20'),
    }),
  }),
  timeliness: z.object({
    score: nullableScore.describe(
      'By the band of lag p95: excellent 1, good 0.75, warning 0.4, critical 0',
    ),
    lastEventAt: timestampSchema
      .nullable()
      .describe('Newest timestamp not in the future, any range'),
    freshnessSeconds: z.number().nullable().describe('Now − lastEventAt'),
    lagSeconds: z.object({
      p50: z.number().nullable(),
      p95: z.number().nullable(),
      max: z.number().nullable(),
    }),
    status: z.enum(LAG_STATUSES).nullable(),
  }),
  consistency: z.object({
    score: nullableScore.describe(
      '1 − (duplicates + rejected) / (accepted + duplicates + rejected)',
    ),
    batches: z.number().int().describe('Ingest requests recorded in [from, to) by arrival'),
    accepted: z.number().int(),
    duplicates: z.number().int().describe('Events whose id was already stored (dropped by dedupe)'),
    rejected: z.number().int(),
    duplicateRate: share,
    rejectedRate: share,
  }),
  schemaCompliance: z.object({
    score: nullableScore.describe('Compliant share of all checked events, every schema together'),
    sampleLimit: z
      .number()
      .int()
      .describe('At most this many events are checked per type: the newest in the range'),
    schemas: z.array(
      z.object({
        type: z.string(),
        version: z.number().int(),
        events: z.number().int().describe('Events of the type in the range'),
        checked: z.number().int(),
        sampled: z.boolean().describe('true when checked < events'),
        compliant: z.number().int(),
        complianceRate: share.nullable(),
        topViolations: z
          .array(z.object({ path: z.string(), reason: z.string(), count: z.number().int() }))
          .describe('Up to 10, by the number of checked events showing each'),
      }),
    ),
  }),
});

export type DataQualityInput = z.infer<typeof dataQualityInput>;
export type DataQualityOutput = z.infer<typeof dataQualityOutput>;

export const dataQualityMeta = {
  dataQuality: {
    openapi: {
      method: 'GET',
      path: '/analytics/data-quality',
      tags: ['analytics'],
      summary: 'Completeness, validity, timeliness, consistency and schema compliance of events',
      description: `Weights of the overall score: completeness 25 %, validity 25 %, timeliness 15 %, consistency 15 %, schema compliance 20 %. Ranges up to ${MAX_QUALITY_RANGE_DAYS} days.`,
    },
  },
} satisfies Record<string, PulseMeta>;
