import { z } from 'zod';
import { timestampSchema } from '../fields.js';
import type { PulseMeta } from '../trpc.js';

export const INSIGHT_KINDS = [
  'anomaly',
  'conversion_drop',
  'revenue_trend',
  'data_quality',
  'slow_ingestion',
] as const;
export const SEVERITIES = ['info', 'warning', 'critical'] as const;

export const insightsInput = z
  .strictObject({
    window: z
      .enum(['1h', '1d'])
      .default('1d')
      .describe('Window of the conversion comparison and revenue trend: hours or days'),
  })
  .optional();

export const insightSchema = z
  .object({
    id: z.string().describe('Stable for the same finding (same kind, subject and window)'),
    kind: z.enum(INSIGHT_KINDS),
    severity: z.enum(SEVERITIES),
    title: z.string(),
    evidence: z
      .record(z.string(), z.union([z.number(), z.string(), z.null()]))
      .describe('The figures the finding rests on'),
    confidence: z
      .number()
      .min(0)
      .max(1)
      .describe(
        'From the test statistic behind the finding (z-score, proportion test, t of a slope)',
      ),
    impact: z
      .object({
        value: z.number(),
        unit: z.enum(['revenue', 'events', 'minutes', 'orders', 'users']),
        basis: z.string().describe('How the value was computed'),
      })
      .nullable(),
  })
  .meta({ id: 'Insight' });

export const insightsOutput = z.object({
  generatedAt: timestampSchema,
  window: z.enum(['1h', '1d']),
  items: z.array(insightSchema).describe('Most severe first, then by impact'),
});

export type Insight = z.infer<typeof insightSchema>;
export type InsightsInput = z.infer<typeof insightsInput>;
export type InsightsOutput = z.infer<typeof insightsOutput>;
export type Severity = (typeof SEVERITIES)[number];

export const insightsMeta = {
  list: {
    openapi: {
      method: 'GET',
      path: '/insights',
      tags: ['insights'],
      summary:
        'Findings from the data: anomalies, conversion drops, revenue trend, data quality, slow ingestion',
      description:
        'Each finding carries its evidence, a computed confidence and an estimated impact (e.g. revenue at risk = drop in conversion × page-view users × average order value).',
    },
  },
} satisfies Record<string, PulseMeta>;
