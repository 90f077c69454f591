import { z } from 'zod';
import { idSchema, timestampSchema } from '../fields.js';
import type { PulseMeta } from '../trpc.js';

export const PULSE_HISTORY_WEEKS = { default: 4, max: 12 } as const;
export const TREND_WINDOW_HOURS = { default: 24, max: 168 } as const;

const historyWeeks = z
  .number()
  .int()
  .min(1)
  .max(PULSE_HISTORY_WEEKS.max)
  .default(PULSE_HISTORY_WEEKS.default)
  .describe('Weeks of history behind "the usual level for this hour of the week"');

export const trendHours = z
  .number()
  .int()
  .min(1)
  .max(TREND_WINDOW_HOURS.max)
  .default(TREND_WINDOW_HOURS.default)
  .describe('Trending compares the gatherings of the last N hours with the N hours before');

export const floorPulseInput = z.strictObject({
  floorId: idSchema,
  weeks: historyWeeks,
  trendHours,
});

export const trendingTagSchema = z.object({
  tag: z.string(),
  eventCount: z.number().int().describe('Gatherings with this tag that started in the window'),
  previousCount: z.number().int().describe('…and in the window before it'),
  growth: z
    .number()
    .describe('(eventCount − previousCount) / max(previousCount, 1): 1 = doubled, 0 = flat'),
});

const gatheringSummary = z.object({
  id: idSchema,
  title: z.string(),
  tags: z.array(z.string()),
  attendeeCount: z
    .number()
    .int()
    .describe('Distinct members with a going RSVP or a check-in to the gathering'),
  startsAt: timestampSchema,
  endsAt: timestampSchema,
});

export const roomPulseSchema = z.object({
  roomId: idSchema,
  roomName: z.string(),
  kind: z.string(),
  coordinates: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
  event: gatheringSummary.nullable().describe('The gathering running in the room now'),
  next: gatheringSummary.nullable().describe('The next gathering to start in the room'),
  liveMetrics: z.object({
    attendeeCount: z.number().int().describe('Distinct members with an open check-in here'),
    capacity: z.number().int(),
    utilizationRate: z.number().describe('attendeeCount / capacity (above 1 when over capacity)'),
    activityHeat: z
      .number()
      .min(0)
      .max(1)
      .describe(
        'recent / (recent + usual), where recent = check-ins in the last hour and usual = the mean over the same hour one, two … `weeks` weeks earlier: 0.5 is a usual hour, 1 is activity where there usually is none, 0 is a quiet room',
      ),
    checkInsLastHour: z.number().int(),
    usualCheckInsLastHour: z.number(),
  }),
});

export const floorPulseOutput = z.object({
  floorId: idSchema,
  floorNumber: z.number().int(),
  floorName: z.string(),
  at: timestampSchema,
  rooms: z.array(roomPulseSchema),
  totals: z.object({
    rooms: z.number().int(),
    attendeeCount: z.number().int(),
    capacity: z.number().int(),
    utilizationRate: z.number(),
    liveEvents: z.number().int(),
    checkInsLastHour: z.number().int(),
    usualCheckInsLastHour: z.number(),
    activityHeat: z.number().min(0).max(1).describe('As per room, over the whole floor'),
  }),
  trendingTags: z.array(trendingTagSchema).describe('Tags of this floor growing fastest'),
});

export type FloorPulseInput = z.infer<typeof floorPulseInput>;
export type FloorPulse = z.infer<typeof floorPulseOutput>;
export type RoomPulse = z.infer<typeof roomPulseSchema>;
export type TrendingTag = z.infer<typeof trendingTagSchema>;

export const floorPulseMeta = {
  openapi: {
    method: 'GET',
    path: '/spaces/floors/{floorId}/pulse',
    tags: ['spaces'],
    summary: 'A floor now: per room occupancy, what is on now and next, activity vs usual',
    description:
      'Occupancy counts open check-ins of the last 12 hours (older ones are taken as forgotten check-outs). Cached 30 s.',
  },
  rateLimit: { limit: 180, windowMs: 60_000 },
} satisfies PulseMeta;
