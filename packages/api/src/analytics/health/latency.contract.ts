import { z } from 'zod';
import { timestampSchema } from '../../fields.js';
import type { PulseMeta } from '../../trpc.js';
import { LAG_BANDS, LAG_STATUSES } from './lag-bands.js';

export const MAX_LATENCY_MINUTES = 1_440;

export const latencyInput = z
  .strictObject({
    minutes: z
      .number()
      .int()
      .min(1)
      .max(MAX_LATENCY_MINUTES)
      .default(60)
      .describe(
        `Minutes of arrivals to report, up to ${MAX_LATENCY_MINUTES}; the current one included`,
      ),
  })
  .optional();

const lagFigures = {
  events: z.number().int(),
  p50Seconds: z.number().nullable(),
  p95Seconds: z.number().nullable(),
  maxSeconds: z.number().nullable(),
  status: z.enum(LAG_STATUSES).nullable().describe('The band of p95Seconds; null without events'),
};

export const latencyOutput = z.object({
  minutes: z.number().int(),
  from: timestampSchema.describe('Start of the first minute reported (by arrival time)'),
  to: timestampSchema,
  thresholds: z
    .object({
      excellent: z.literal(LAG_BANDS.excellent),
      good: z.literal(LAG_BANDS.good),
      warning: z.literal(LAG_BANDS.warning),
    })
    .describe('Inclusive upper bounds of p95 lag in seconds per band; above warning is critical'),
  overall: z.object(lagFigures),
  series: z
    .array(z.object({ minute: timestampSchema, ...lagFigures }))
    .describe('One entry per minute of arrival, oldest first, minutes without events included'),
});

export type LatencyOutput = z.infer<typeof latencyOutput>;

export const latencyMeta = {
  latency: {
    openapi: {
      method: 'GET',
      path: '/analytics/latency',
      tags: ['analytics'],
      summary: 'Ingestion lag per minute of arrival, with status bands',
      description:
        'Lag is received_at − timestamp (negative lags of events stamped ahead count as 0). Bands on p95: excellent ≤ 5 s, good ≤ 30 s, warning ≤ 120 s, critical above. Events stamped more than a day before they arrived are backfills, not latency, and are left out.',
    },
  },
} satisfies Record<string, PulseMeta>;
