import { z } from 'zod';
import { timestampSchema } from '../../fields.js';
import type { PulseMeta } from '../../trpc.js';
import { WINDOWS } from './windows.js';

export const windowSchema = z
  .enum(WINDOWS)
  .describe('Window size; windows are aligned to the Unix epoch (UTC)');

export const atSchema = timestampSchema
  .optional()
  .describe('Evaluate as of this instant: only windows closed by then count. Default: now');

const eventTypeSchema = z.string().min(1).max(100);
const PROPERTY_PATH = String.raw`properties(\.[A-Za-z0-9_$-]{1,64}){1,8}`;
const fieldSchema = (column: 'price' | 'quantity') =>
  z
    .string()
    .regex(
      new RegExp(`^(${column}|${PROPERTY_PATH})$`),
      `must be "${column}" or a property path such as properties.amount`,
    )
    .describe(`"${column}" (the event column) or properties.<key>[.<key>…] (a JSON number)`);

export const settingsInput = z.strictObject({
  pageViewType: eventTypeSchema.default('page_view'),
  addToCartType: eventTypeSchema.default('add_to_cart'),
  purchaseType: eventTypeSchema.default('purchase'),
  priceField: fieldSchema('price').default('price'),
  quantityField: fieldSchema('quantity').default('quantity'),
});

export const settingsSchema = z
  .object({
    pageViewType: z.string(),
    addToCartType: z.string(),
    purchaseType: z.string(),
    priceField: z.string(),
    quantityField: z.string(),
    updatedAt: timestampSchema.nullable().describe('null: never changed (all defaults)'),
  })
  .meta({ id: 'AnalyticsSettings' });

export const kpisInput = z.strictObject({ window: windowSchema.default('1h'), at: atSchema });

const kpiValues = z.object({
  from: timestampSchema.describe('Window start (inclusive)'),
  to: timestampSchema.describe('Window end (exclusive)'),
  orders: z.number().int().describe('Purchase events'),
  gmv: z.number().describe('Σ price × quantity of purchase events (quantity null counts as 1)'),
  purchaseUsers: z.number().int().describe('Distinct people with a purchase'),
  viewUsers: z.number().int().describe('Distinct people with a page view'),
  activeUsers: z.number().int().describe('Distinct people with any event'),
  conversionRate: z.number().describe('purchaseUsers / viewUsers; 0 when viewUsers is 0'),
});

export const kpisOutput = z
  .object({
    window: windowSchema,
    current: kpiValues.describe('The latest closed window'),
    previous: kpiValues.describe('The window before it'),
    recentEvents: z
      .record(z.string(), z.number().int())
      .describe('Events per type in the current (latest closed) window'),
    freshness: z.object({
      lastEventAt: timestampSchema.nullable().describe('Newest event timestamp not in the future'),
      lagSeconds: z
        .number()
        .int()
        .nullable()
        .describe('Whole seconds from lastEventAt to when this answer was computed'),
    }),
  })
  .meta({ id: 'CommerceKpis' });

export const userFeaturesInput = z.strictObject({
  userId: z.string().min(1).max(128).describe('The events’ userId'),
});

const percentilesSchema = z.object({
  p25: z.number(),
  p50: z.number(),
  p75: z.number(),
  p90: z.number(),
});

const distributionMetric = z.object({
  percentiles: percentilesSchema.nullable().describe('Over purchasers; null when none'),
  rank: z
    .number()
    .nullable()
    .describe('Share of purchasers (0–1) whose value is ≤ this user’s; null when not defined'),
});

export const userFeaturesOutput = z
  .object({
    userId: z.string(),
    asOf: timestampSchema,
    firstSeenAt: timestampSchema,
    lastSeenAt: timestampSchema,
    events: z.number().int(),
    recencyDays: z.number().nullable().describe('Days since the last purchase; null: none'),
    frequency: z.number().int().describe('Purchases (orders)'),
    monetary: z.number().describe('Σ price × quantity of purchases'),
    averageOrderValue: z.number().nullable().describe('monetary / frequency; null: no orders'),
    distinctProducts: z
      .number()
      .int()
      .describe('Distinct productIds over all of the user’s events'),
    preferredHour: z.number().int().describe('UTC hour (0–23) with most events; ties: earliest'),
    activeSpanDays: z.number().describe('Days from first to last event, at least 1'),
    eventsPerDay: z.number().describe('events / activeSpanDays'),
    distribution: z
      .object({
        purchasers: z.number().int().describe('Users (by userId) with at least one purchase'),
        computedAt: timestampSchema.describe(
          'When the distribution was computed: it is shared by all users and refreshed at most every 5 minutes; the user’s own figures are current',
        ),
        exact: z
          .boolean()
          .describe(
            'Ranks are exact up to 2,000 purchasers; above that they come from a 1,001-point percentile sketch and may read up to 0.1 percentage point low',
          ),
        recencyDays: distributionMetric,
        frequency: distributionMetric,
        monetary: distributionMetric,
      })
      .describe('Workspace-wide, over users with at least one purchase'),
  })
  .meta({ id: 'UserFeatures' });

export type CommerceSettings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.infer<typeof settingsInput>;
export type KpisOutput = z.infer<typeof kpisOutput>;
export type KpiValues = z.infer<typeof kpiValues>;
export type UserFeaturesOutput = z.infer<typeof userFeaturesOutput>;

const tags = ['analytics'];

export const commerceMeta = {
  getSettings: {
    openapi: { method: 'GET', path: '/analytics/settings', tags, summary: 'Commerce settings' },
  },
  setSettings: {
    openapi: {
      method: 'PUT',
      path: '/analytics/settings',
      tags,
      summary: 'Replace the commerce settings (admin); fields left out take their defaults',
    },
  },
  kpis: {
    openapi: {
      method: 'GET',
      path: '/analytics/kpis',
      tags,
      summary: 'Orders, GMV, buyers, viewers, active users and conversion: last two closed windows',
      description:
        'People are counted by userId, else anonymousId (events with neither count for no one). Revenue is price × quantity of purchase events, quantity null (or a non-numeric property) counting as 1.',
    },
  },
  userFeatures: {
    openapi: {
      method: 'GET',
      path: '/analytics/users/{userId}/features',
      tags,
      summary: 'RFM and activity features of one user, with the workspace-wide distribution',
    },
  },
} satisfies Record<string, PulseMeta>;
