import { z } from 'zod';
import { timestampSchema } from '../fields.js';
import { insightSchema } from '../insights/insights.contract.js';
import { broadcastMessageSchema, gapMessageSchema, lastEventId } from './live.contract.js';

export const insightsFeedInput = z.strictObject({ lastEventId }).optional();

export const insightsMessageSchema = z
  .object({
    kind: z.literal('insights'),
    snapshot: z
      .boolean()
      .describe(
        'true: every current insight (sent first to a new subscriber); false: only what changed',
      ),
    at: timestampSchema,
    items: z
      .array(insightSchema)
      .describe('New insights, and known ones whose severity or title changed'),
    resolved: z.array(z.string()).describe('Ids of insights that no longer hold'),
  })
  .meta({ id: 'LiveInsights' });

export const insightsFeedMessage = z.discriminatedUnion('kind', [
  insightsMessageSchema,
  broadcastMessageSchema,
  gapMessageSchema,
]);

export type InsightsFeedInput = z.infer<typeof insightsFeedInput>;
export type InsightsMessage = z.infer<typeof insightsMessageSchema>;
export type InsightsFeedMessage = z.infer<typeof insightsFeedMessage>;
