import { z } from 'zod';
import { timestampSchema } from '../fields.js';
import type { PulseMeta } from '../trpc.js';

export const MAX_STATS_TYPES = 100;

export const statsInput = z.strictObject({}).optional();

const exactness = z
  .enum(['exact', 'rollup'])
  .describe(
    'exact: counted from raw rows now; rollup: from hourly rollups as of the last rollup run',
  );

export const statsOutput = z.object({
  at: timestampSchema,
  events: z.object({
    total: z
      .number()
      .int()
      .describe('Every event still summarised by the rollups (they outlive raw events)'),
    byType: z
      .array(z.object({ type: z.string(), count: z.number().int() }))
      .describe(`Most frequent first, at most ${MAX_STATS_TYPES} types`),
    types: z.number().int().describe('Distinct event types'),
    pendingMinutes: z
      .number()
      .int()
      .describe(
        'Minutes ingested since the last rollup run: their events are not in the totals yet',
      ),
    source: exactness,
  }),
  firstEventAt: timestampSchema.nullable().describe('Oldest stored raw event (exact)'),
  lastEventAt: timestampSchema.nullable().describe('Newest stored raw event (exact)'),
  last24h: z.object({
    from: timestampSchema.describe('The last 24 closed hours: from 24 h before `to`'),
    to: timestampSchema.describe('The start of the current hour'),
    events: z.number().int(),
    users: z.number().int().describe('Distinct userId, or anonymousId for events without one'),
    sessions: z.number().int().describe('Distinct sessionId'),
    source: exactness,
  }),
  metrics: z.object({
    points: z.number().int(),
    names: z.number().int().describe('Distinct metric names'),
    source: exactness,
  }),
  ingestion: z
    .object({
      batches: z.number().int(),
      accepted: z.number().int(),
      duplicates: z.number().int(),
      rejected: z.number().int(),
      source: exactness,
    })
    .describe('Event ingest counters kept by ingestion (compacted by retention)'),
  storage: z
    .object({
      eventRollupRows: z.number().int(),
      metricRollupRows: z.number().int(),
      eventSchemas: z.number().int().describe('Registered schema versions'),
    })
    .describe('Rows this workspace holds in the derived tables (exact)'),
});

export type StatsOutput = z.infer<typeof statsOutput>;

export const statsMeta = {
  stats: {
    openapi: {
      method: 'GET',
      path: '/insights/stats',
      tags: ['insights'],
      summary:
        'Workspace statistics: events by type, users, sessions, metrics, first and last event',
      description:
        'Cheap enough to poll (cached 30 s): all-time totals come from hourly rollups (`source: rollup`) rather than scanning raw events; the last 24 closed hours are counted exactly, once, and kept until late events land in them.',
    },
  },
} satisfies Record<string, PulseMeta>;
