import { z } from 'zod';
import { idSchema, timestampSchema } from '../fields.js';
import type { PulseMeta } from '../trpc.js';

export const REVENUE_LIMITS = { weeks: { default: 4, max: 26 }, opportunities: 200 } as const;

/** The pricing rules, stated once so the evidence can quote them. */
export const PRICING_RULES = {
  /** Demand pressure (max of utilization and gathering attendance rate) that earns a raise. */
  raiseFrom: 0.8,
  raiseMultiplier: 1.15,
  /** Pressure from which the raise is steeper: the slot is practically always full. */
  steepRaiseFrom: 0.95,
  steepRaiseMultiplier: 1.25,
  /** Utilization at or below this, while the building is busier at that hour, earns a discount. */
  discountUpTo: 0.25,
  discountMultiplier: 0.8,
  /** The building's mean utilization at the hour must exceed the room's by this much. */
  discountGap: 0.1,
} as const;

export const revenueOptimizationInput = z
  .strictObject({
    buildingId: idSchema.optional().describe("Default: the workspace's first building"),
    weeks: z
      .number()
      .int()
      .min(1)
      .max(REVENUE_LIMITS.weeks.max)
      .default(REVENUE_LIMITS.weeks.default)
      .describe('History: the last N whole weeks, ending at the current hour'),
    limit: z.number().int().min(1).max(REVENUE_LIMITS.opportunities).default(50),
  })
  .default({ weeks: 4, limit: 50 });

const evidenceSchema = z.object({
  rule: z.string().describe('Why this recommendation, in words'),
  weeks: z.number().int(),
  usedHours: z.number().int().describe('Hours of this slot booked or hosting a gathering'),
  bookings: z.number().int(),
  gatherings: z.number().int(),
  attendanceRate: z
    .number()
    .nullable()
    .describe('Mean attendees / capacity of the gatherings in this slot'),
  listPrice: z.number().describe("The room's hourly price"),
  avgPricePaidPerHour: z.number().nullable().describe('Mean booking price per booked hour'),
  weeklyRevenue: z.number().describe('Observed revenue of the slot per week'),
  buildingUtilizationAtHour: z.number().describe('Mean utilization of all rooms in this slot'),
});

export const revenueOptimizationOutput = z.object({
  at: timestampSchema,
  buildingId: idSchema,
  weeks: z.number().int(),
  opportunities: z.array(
    z.object({
      roomId: idSchema,
      roomName: z.string(),
      floor: z.number().int(),
      timeSlot: z.string().describe('Day and hour in the building time zone, e.g. "Tue 15:00"'),
      dayOfWeek: z.number().int().min(1).max(7).describe('ISO: 1 = Monday'),
      hour: z.number().int().min(0).max(23),
      avgUtilization: z.number().describe('Used hours / weeks'),
      action: z.enum(['raise', 'discount']),
      recommendedPriceMultiplier: z.number(),
      projectedRevenue: z
        .number()
        .describe('Expected change of the weekly revenue of this slot at the new price'),
      evidence: evidenceSchema,
    }),
  ),
  floorUtilization: z.array(
    z.object({
      floor: z.number().int(),
      floorId: idSchema,
      utilizationRate: z
        .number()
        .describe('Used room-hours / (rooms × open hours of the week × weeks)'),
      revenue: z.number(),
      revenueContribution: z.number().describe("Share of the building's revenue in the window"),
    }),
  ),
  openHoursPerWeek: z
    .number()
    .int()
    .describe('Hours of the week in which any room was used: the building counts as open'),
});

export type RevenueOptimizationInput = z.infer<typeof revenueOptimizationInput>;
export type RevenueOptimization = z.infer<typeof revenueOptimizationOutput>;
export type Opportunity = RevenueOptimization['opportunities'][number];

export const revenueOptimizationMeta = {
  openapi: {
    method: 'GET',
    path: '/revenue/optimization',
    tags: ['revenue'],
    summary: 'Utilization per room and hour of the week; pricing recommendations with evidence',
    description:
      'A room hour counts as used when a booking (not cancelled) or a gathering overlaps it. Raise where demand pressure (utilization, or gathering attendance against capacity) is at least 0.8: the projected change keeps the volume. Discount where a room is at most 25 % used at an hour the building is busier: the projected change assumes the room reaches the building mean for that hour. Cached 60 s.',
  },
} satisfies PulseMeta;
