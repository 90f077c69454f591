import { z } from 'zod';
import { timestampSchema } from '../fields.js';
import type { PulseMeta } from '../trpc.js';
import { PERIODS } from './periods.js';

export const MAX_REVENUE_PERIODS = { day: 366, week: 104, month: 36 } as const;
export const TOP_SEGMENTS = 10;

export const revenueInput = z
  .strictObject({
    period: z.enum(PERIODS).default('day').describe('UTC days, ISO weeks (from Monday) or months'),
    periods: z
      .number()
      .int()
      .min(1)
      .max(MAX_REVENUE_PERIODS.day)
      .default(30)
      .describe(
        'How many periods, the current (partial) one included: up to 366 days, 104 weeks, 36 months',
      ),
    property: z
      .string()
      .regex(/^[A-Za-z0-9_$-]{1,64}$/, 'must be a top-level property key (letters, digits, _ $ -)')
      .optional()
      .describe(
        'Also rank segments by this key of the purchase events’ properties (read from raw events, so slower than products and currencies, which come from hourly and daily rollups)',
      ),
  })
  .optional();

const figures = {
  revenue: z.number().describe('Σ revenue of purchase events (currencies added as they are)'),
  orders: z.number().int().describe('Purchase events'),
};

const segment = z.object({
  key: z.string().nullable().describe('null: events without the field'),
  ...figures,
  share: z.number().min(0).max(1).nullable().describe('Of the range’s revenue; null when it is 0'),
});

export const revenueOutput = z.object({
  period: z.enum(PERIODS),
  from: timestampSchema.describe('Start of the first period'),
  to: timestampSchema.describe('End of the current period'),
  purchaseType: z.string().describe('The event type counted, from the analytics settings'),
  total: z.object(figures),
  growth: z
    .number()
    .nullable()
    .describe(
      'Last complete period vs the one before, (a − b) / b; null when b is 0 or there is no complete period',
    ),
  series: z.array(
    z.object({
      start: timestampSchema,
      end: timestampSchema,
      ...figures,
      previousRevenue: z
        .number()
        .describe('The period before (for the first, read outside the range)'),
      growth: z
        .number()
        .nullable()
        .describe('(revenue − previousRevenue) / previousRevenue; null when that is 0'),
      partial: z.boolean().describe('The current period, still running'),
    }),
  ),
  segments: z.object({
    byProduct: z.array(segment),
    byCurrency: z.array(segment),
    byProperty: z.object({ property: z.string(), items: z.array(segment) }).nullable(),
  }),
});

export type RevenueInput = z.infer<typeof revenueInput>;
export type RevenueOutput = z.infer<typeof revenueOutput>;
export type RevenueSegment = z.infer<typeof segment>;

export const revenueMeta = {
  revenue: {
    openapi: {
      method: 'GET',
      path: '/insights/revenue',
      tags: ['insights'],
      summary:
        'Revenue by period with growth, and the top segments by product, currency or a property',
      description: `Revenue is computed as analytics.kpis computes it (the settings' purchase type, price × quantity). Segments rank the whole range, ${TOP_SEGMENTS} each.`,
    },
  },
} satisfies Record<string, PulseMeta>;
