import { z } from 'zod';
import { idSchema, timestampSchema } from '../fields.js';
import type { PulseMeta } from '../trpc.js';
import { trendHours } from './floor-pulse.contract.js';

export const CHECK_IN_RATE_MINUTES = 15;

export const buildingLiveInput = z
  .strictObject({
    buildingId: idSchema
      .optional()
      .describe(
        'Default: the whole workspace (every building, and check-ins into no particular room)',
      ),
    trendHours,
  })
  .default({ trendHours: 24 });

export const buildingLiveOutput = z.object({
  at: timestampSchema,
  buildingId: idSchema.nullable(),
  tower: z.object({
    activeMembers: z.number().int().describe('Distinct members with an open check-in'),
    liveEvents: z.number().int().describe('Gatherings running now'),
    collaborationScore: z
      .number()
      .min(0)
      .max(1)
      .describe(
        'Share of the members present who are checked in to a gathering together with at least one other present member (0 when nobody is in)',
      ),
    revenueToday: z
      .number()
      .describe(
        "Today (building time zone): room bookings starting today (not cancelled) plus each gathering starting today's price × attendees",
      ),
    checkInsPerMinute: z
      .number()
      .describe(
        `Check-ins of the last ${CHECK_IN_RATE_MINUTES} minutes / ${CHECK_IN_RATE_MINUTES}`,
      ),
  }),
  trendingTopics: z.array(
    z.object({
      topic: z.string(),
      eventCount: z.number().int().describe('Gatherings with the tag that started in the window'),
      previousCount: z.number().int(),
      growth: z.number().describe('(eventCount − previousCount) / max(previousCount, 1)'),
    }),
  ),
  floorActivity: z
    .array(
      z.object({
        floor: z.number().int().describe('Floor number'),
        floorId: idSchema,
        name: z.string(),
        activityScore: z.number().describe('Members present on the floor / its room capacity'),
        attendeeCount: z.number().int(),
        currentEvents: z.number().int(),
      }),
    )
    .describe('Busiest first'),
});

export type BuildingLiveInput = z.infer<typeof buildingLiveInput>;
export type BuildingLive = z.infer<typeof buildingLiveOutput>;

export const buildingLiveMeta = {
  openapi: {
    method: 'GET',
    path: '/spaces/live',
    tags: ['spaces'],
    summary: 'The building now: people in, live gatherings, busiest floors, trending topics',
    description: 'Cached 15 s.',
  },
  rateLimit: { limit: 240, windowMs: 60_000 },
} satisfies PulseMeta;
