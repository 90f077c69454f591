import { z } from 'zod';
import { timestampSchema } from '../fields.js';
import { broadcastLevelSchema } from '../live/live.contract.js';
import type { PulseMeta } from '../trpc.js';

const channelCountsSchema = z
  .object({
    events: z.number().int().describe('Subscriptions to the events feed'),
    metrics: z.number().int().describe('Subscriptions to the metrics feed'),
    overview: z.number().int().describe('Subscriptions to the overview feed'),
    tower: z.number().int().describe('Subscriptions to the building feeds (tower, floor pulse)'),
    insights: z.number().int().describe('Subscriptions to the insights feed'),
  })
  .meta({ id: 'LiveChannelCounts' });

export const connectionsOutput = z.object({
  process: z.string().describe('The server process that answered'),
  total: z.number().int().describe('Live subscriptions of your workspace, all processes'),
  channels: channelCountsSchema,
  processes: z
    .array(
      z.object({
        process: z.string().describe('host:pid:random, one per server process'),
        total: z.number().int(),
        channels: channelCountsSchema,
        reportedAt: timestampSchema.describe(
          'Its latest report; processes that miss three heartbeats drop out',
        ),
      }),
    )
    .describe('Processes with at least one live subscription of your workspace'),
});

export const broadcastInput = z.strictObject({
  message: z.string().trim().min(1).max(1_000).describe('Shown to every live subscriber'),
  level: broadcastLevelSchema.default('info'),
});

export const broadcastOutput = z.object({
  delivered: z
    .number()
    .int()
    .describe(
      'Live subscriptions of your workspace across all processes when it was sent (each gets it once; clients that resume soon after get it from the replay buffer)',
    ),
  at: timestampSchema,
});

export type BroadcastInput = z.infer<typeof broadcastInput>;
export type ConnectionsOutput = z.infer<typeof connectionsOutput>;

const tags = ['admin'];

export const adminMeta = {
  connections: {
    openapi: {
      method: 'GET',
      path: '/admin/connections',
      tags,
      summary: 'Live clients of your workspace per channel and per server process (admin+)',
    },
  },
  broadcast: {
    openapi: {
      method: 'POST',
      path: '/admin/broadcast',
      tags,
      summary: 'Send a message to every live subscriber of your workspace (admin+)',
    },
  },
} satisfies Record<string, PulseMeta>;
