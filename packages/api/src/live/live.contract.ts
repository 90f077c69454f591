import { z } from 'zod';
import { eventSchema } from '../events/events.contract.js';
import { idSchema, timestampSchema } from '../fields.js';
import { isStreamId } from '../infra/stream.js';
import { metricNameSchema } from '../metrics/metrics.contract.js';
import type { InsightsMessage } from './live.insights.contract.js';
import type { BotResponseMessage, SpaceActivityFeedMessage } from './live.tower.contract.js';

// Subscriptions are tRPC-only (WebSocket, or SSE under /api/v1/stream/*): no OpenAPI meta.
// Every message arrives as { id, data }; `id` is what a client resumes from.

export const MAX_FEED_FILTERS = 50;

export const lastEventId = z
  .string()
  .refine(isStreamId, 'must be a message id from this feed, such as 1764000000000-0')
  .optional()
  .describe('Resume after this message id; tRPC clients fill it in on reconnect');

export const eventsFeedInput = z
  .strictObject({
    types: z
      .array(z.string().min(1).max(100))
      .min(1)
      .max(MAX_FEED_FILTERS)
      .optional()
      .describe('Only events of these types; all types when absent'),
    lastEventId,
  })
  .optional();

export const metricsFeedInput = z.strictObject({
  names: z.array(metricNameSchema).min(1).max(MAX_FEED_FILTERS).describe('Metric names to follow'),
  lastEventId,
});

export const overviewFeedInput = z.strictObject({ lastEventId }).optional();

export const broadcastLevelSchema = z.enum(['info', 'warning', 'critical']);

export const broadcastMessageSchema = z
  .object({
    kind: z.literal('broadcast'),
    message: z.string(),
    level: broadcastLevelSchema,
    from: z.object({ userId: idSchema, name: z.string() }).describe('The admin who sent it'),
    at: timestampSchema,
  })
  .meta({ id: 'LiveBroadcast' });

export const gapMessageSchema = z
  .object({
    kind: z.literal('gap'),
    lastEventId: z.string().describe('The position the feed could not continue from exactly'),
    message: z.string(),
  })
  .describe(
    'Messages after lastEventId are no longer in the replay buffer; the feed continues with the oldest one it still holds',
  );

export const liveMetricPointSchema = z.object({
  id: z.string(),
  name: z.string(),
  value: z.number(),
  tags: z.record(z.string(), z.string()),
  timestamp: timestampSchema,
});

export const eventsMessageSchema = z.object({
  kind: z.literal('events'),
  events: z.array(eventSchema).describe('One ingest batch, filtered to the requested types'),
});

export const metricsMessageSchema = z.object({
  kind: z.literal('metrics'),
  points: z
    .array(liveMetricPointSchema)
    .describe('One ingest batch, filtered to the requested names'),
});

export const overviewMessageSchema = z.object({
  kind: z.literal('overview'),
  at: timestampSchema.describe('The instant the figures describe; windows end here'),
  eventsPerMinute: z.number().int().describe('Events whose timestamp is in the last 60 s'),
  activeUsers: z
    .number()
    .int()
    .describe('Distinct people in the last 5 min: user_id, or anonymous_id for events without one'),
  revenue: z
    .number()
    .describe(
      'Sum of price × (quantity, or 1) over purchase events in the last hour, currencies not converted',
    ),
  errorRate: z
    .number()
    .min(0)
    .max(1)
    .describe(
      'Share of the last 5 min of events whose type is error or ends in _error; 0 without events',
    ),
  connectedClients: z
    .number()
    .int()
    .describe(
      'Live subscriptions of the workspace (every feed, WebSocket and SSE) across all processes',
    ),
});

export const eventsFeedMessage = z.discriminatedUnion('kind', [
  eventsMessageSchema,
  broadcastMessageSchema,
  gapMessageSchema,
]);
export const metricsFeedMessage = z.discriminatedUnion('kind', [
  metricsMessageSchema,
  broadcastMessageSchema,
  gapMessageSchema,
]);
export const overviewFeedMessage = z.discriminatedUnion('kind', [
  overviewMessageSchema,
  broadcastMessageSchema,
  gapMessageSchema,
]);

export type EventsFeedInput = z.infer<typeof eventsFeedInput>;
export type MetricsFeedInput = z.infer<typeof metricsFeedInput>;
export type OverviewFeedInput = z.infer<typeof overviewFeedInput>;
export type BroadcastLevel = z.infer<typeof broadcastLevelSchema>;
export type BroadcastMessage = z.infer<typeof broadcastMessageSchema>;
export type GapMessage = z.infer<typeof gapMessageSchema>;
export type LiveMetricPoint = z.infer<typeof liveMetricPointSchema>;
export type EventsMessage = z.infer<typeof eventsMessageSchema>;
export type MetricsMessage = z.infer<typeof metricsMessageSchema>;
export type OverviewMessage = z.infer<typeof overviewMessageSchema>;
export type EventsFeedMessage = z.infer<typeof eventsFeedMessage>;
export type MetricsFeedMessage = z.infer<typeof metricsFeedMessage>;
export type OverviewFeedMessage = z.infer<typeof overviewFeedMessage>;

/** What the replay streams store: one entry per ingest batch or broadcast. */
export type StoredFeedMessage =
  | EventsMessage
  | MetricsMessage
  | BroadcastMessage
  | BotResponseMessage
  | SpaceActivityFeedMessage
  | InsightsMessage;
