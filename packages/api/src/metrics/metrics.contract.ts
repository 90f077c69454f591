import { z } from 'zod';
import { timestampSchema } from '../fields.js';
import { pageInput } from '../pagination.js';
import type { PulseMeta } from '../trpc.js';

export const MAX_BATCH_POINTS = 1000;
export const MAX_TAGS = 20;
export const MAX_AGGREGATE_BUCKETS = 10_000;
export const AGGREGATE_FNS = ['count', 'sum', 'avg', 'min', 'max', 'p50', 'p95', 'p99'] as const;

const SAFE_NAME = /^[A-Za-z0-9_.:-]+$/;
const SAFE_NAME_MESSAGE = 'may contain only letters, digits and _ . : -';

export const metricNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(SAFE_NAME, SAFE_NAME_MESSAGE)
  .describe('1–200 characters: letters, digits and _ . : -');

// Tag keys share the name alphabet, which keeps `key=value` filters unambiguous. __proto__
// would vanish from JavaScript objects on the way (Zod drops it), so it is refused instead.
const tagKeySchema = z
  .string()
  .min(1)
  .max(100)
  .regex(SAFE_NAME, SAFE_NAME_MESSAGE)
  .refine((key) => key !== '__proto__', 'is reserved');

export const tagsSchema = z
  .record(tagKeySchema, z.string().max(200))
  .refine((tags) => Object.keys(tags).length <= MAX_TAGS, `must have at most ${MAX_TAGS} tags`)
  .describe(`Flat object of string values, at most ${MAX_TAGS} tags`);

const tagFilterSchema = z
  .string()
  .max(301)
  .regex(/^[A-Za-z0-9_.:-]{1,100}=.{0,200}$/s, 'must look like key=value');

// trpc-to-openapi switches every z.number() it can reach in an input to coercion, request
// bodies included, by mutating the shared schema (so tRPC calls coerce too from then on):
// null, '' and true would be stored as 0, 0 and 1. It does not look inside a pipe.
const metricValueSchema = z.number().pipe(z.number()).describe('Any finite number');

const pointFields = {
  name: metricNameSchema,
  value: metricValueSchema,
  tags: tagsSchema.optional(),
  timestamp: timestampSchema.optional().describe('ISO 8601; defaults to arrival'),
};

export const metricPointInput = z.strictObject(pointFields).meta({ id: 'MetricPointInput' });

const pointsSchema = z
  .array(metricPointInput)
  .min(1)
  .max(MAX_BATCH_POINTS)
  .describe(`Up to ${MAX_BATCH_POINTS} points, stored all or nothing`);

/**
 * One point or `{points}`. The REST adapter maps one procedure per method and path and needs
 * an object schema, so both forms share one object and the refinement tells them apart.
 */
export const recordMetricsInput = z
  .strictObject({
    name: pointFields.name.optional(),
    value: pointFields.value.optional(),
    tags: pointFields.tags,
    timestamp: pointFields.timestamp,
    points: pointsSchema.optional(),
  })
  .superRefine((input, ctx) => {
    const pointKeys = (['name', 'value', 'tags', 'timestamp'] as const).filter(
      (key) => input[key] !== undefined,
    );
    if (input.points) {
      for (const key of pointKeys) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'send either one point or {points: [...]}, not both',
        });
      }
      return;
    }
    for (const key of ['name', 'value'] as const) {
      if (input[key] === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'is required' });
      }
    }
  })
  .meta({ description: 'One metric point, or {points: [...]} with up to 1,000 of them' });

export const recordMetricsOutput = z.object({
  accepted: z.number().int().describe('Points stored by this request'),
  id: z.string().optional().describe('Id of the stored point, when one point was sent'),
});

export const recordMetricBatchInput = z.strictObject({ points: pointsSchema });
export const recordMetricBatchOutput = z.object({ accepted: z.number().int() });

export const metricPointSchema = z
  .object({
    id: z.string().describe('Decimal string; increases with arrival'),
    name: z.string(),
    value: z.number(),
    tags: z.record(z.string(), z.string()),
    timestamp: timestampSchema,
    receivedAt: timestampSchema,
  })
  .meta({ id: 'MetricPoint' });

const tagFilters = (description: string) =>
  z.array(tagFilterSchema).max(MAX_TAGS).optional().describe(description);

export const listMetricsInput = z.strictObject({
  ...pageInput,
  name: metricNameSchema.optional(),
  from: timestampSchema.optional().describe('Inclusive lower bound on timestamp'),
  to: timestampSchema.optional().describe('Exclusive upper bound on timestamp'),
  tag: tagFilters('Tag equality filters, key=value (repeatable)'),
});

export const listMetricsOutput = z.object({
  items: z.array(metricPointSchema),
  nextCursor: z.string().nullable(),
});

export const getMetricInput = z.strictObject({
  id: z
    .string()
    .regex(/^\d{1,19}$/, 'must be a metric point id (decimal digits)')
    .refine(
      (id) => !/^\d+$/.test(id) || BigInt(id) <= 9_223_372_036_854_775_807n,
      'is not a metric point id',
    ),
});

export const aggregateMetricsInput = z.strictObject({
  name: metricNameSchema,
  from: timestampSchema.optional().describe('Inclusive; default: one hour before `to`'),
  to: timestampSchema.optional().describe('Exclusive; default: now'),
  interval: z
    .string()
    .regex(/^[1-9]\d{0,8}[smhd]$/, 'must be a positive duration such as 30s, 1m, 5m, 1h or 1d')
    .default('1m')
    .describe(
      `Bucket width <n><s|m|h|d>, buckets aligned to the Unix epoch; at most ${MAX_AGGREGATE_BUCKETS} buckets`,
    ),
  fn: z.enum(AGGREGATE_FNS).default('avg'),
  groupBy: tagKeySchema.optional().describe('A tag key: one series per value (null: tag absent)'),
  tags: tagFilters('Tag equality filters, key=value (repeatable)'),
});

export const aggregateMetricsOutput = z.object({
  name: z.string(),
  fn: z.enum(AGGREGATE_FNS),
  interval: z.string(),
  from: timestampSchema,
  to: timestampSchema,
  resolution: z
    .enum(['raw', '1m', '1h'])
    .describe('Rollups used (raw points fill whatever they do not cover yet), or raw only'),
  series: z.array(
    z.object({
      bucket: timestampSchema.describe('Start of the bucket'),
      value: z.number(),
      group: z.string().nullable().optional().describe('The groupBy tag value'),
    }),
  ),
});

export const latestMetricInput = z.strictObject({
  name: metricNameSchema,
  tags: tagFilters('Only points carrying these tags, key=value (repeatable)'),
});

export const latestMetricOutput = z.object({
  id: z.string(),
  name: z.string(),
  value: z.number(),
  tags: z.record(z.string(), z.string()),
  timestamp: timestampSchema,
  source: z.enum(['cache', 'database']),
});

export type MetricPointInput = z.infer<typeof metricPointInput>;
export type RecordMetricsInput = z.infer<typeof recordMetricsInput>;
export type MetricPointDto = z.infer<typeof metricPointSchema>;
export type ListMetricsInput = z.infer<typeof listMetricsInput>;
export type AggregateFn = (typeof AGGREGATE_FNS)[number];
export type AggregateMetricsInput = z.infer<typeof aggregateMetricsInput>;
export type AggregateMetricsOutput = z.infer<typeof aggregateMetricsOutput>;
export type LatestMetricInput = z.infer<typeof latestMetricInput>;
export type LatestMetricOutput = z.infer<typeof latestMetricOutput>;

const tags = ['metrics'];

export const metricsMeta = {
  record: {
    openapi: {
      method: 'POST',
      path: '/metrics',
      tags,
      summary: 'Record one point ({name, value, tags?, timestamp?}) or {points: [...]}',
      description:
        'One point answers {id, accepted: 1}; {points} (up to 1,000, all or nothing, errors named by index such as points.3.value) answers {accepted}.',
    },
  },
  recordBatch: {
    openapi: {
      method: 'POST',
      path: '/metrics/batch',
      tags,
      summary: `Record up to ${MAX_BATCH_POINTS} points in one transaction`,
    },
  },
  list: {
    openapi: { method: 'GET', path: '/metrics', tags, summary: 'Metric points, newest first' },
  },
  get: {
    openapi: { method: 'GET', path: '/metrics/{id}', tags, summary: 'One metric point by id' },
  },
  aggregate: {
    openapi: {
      method: 'GET',
      path: '/metrics/aggregate/{name}',
      tags,
      summary: 'A time series: count, sum, avg, min, max or p50/p95/p99 per bucket',
      description:
        'Long ranges are answered from minute or hour rollups (percentiles from mergeable sketches, within 1 %), with raw points for whatever is not rolled up yet; short ranges from raw points. Empty buckets are omitted.',
    },
  },
  latest: {
    openapi: {
      method: 'GET',
      path: '/metrics/latest/{name}',
      tags,
      summary: 'The newest point of a metric (by timestamp), served from the cache when fresh',
    },
  },
} satisfies Record<string, PulseMeta>;
