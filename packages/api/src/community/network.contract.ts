import { z } from 'zod';
import { idSchema, timestampSchema } from '../fields.js';
import type { PulseMeta } from '../trpc.js';

export const NETWORK_LIMITS = {
  days: { default: 30, max: 365 },
  nodes: { default: 100, max: 500 },
  /** Members considered at all: the most active ones, so pair counting stays bounded. */
  candidates: { perNode: 4, min: 200, max: 2_000 },
  edges: 20_000,
  /** Edges in the answer: each is ~150 bytes of JSON to parse, check and send on every cache hit. */
  returnedEdges: { default: 500, max: 5_000 },
} as const;

/** Edge weight per reason; documented in the contract so clients can explain a strength. */
export const EDGE_WEIGHTS = {
  coAttendance: 1,
  connection: 2,
  sharedInterest: 0.5,
} as const;

export const networkInput = z
  .strictObject({
    days: z
      .number()
      .int()
      .min(1)
      .max(NETWORK_LIMITS.days.max)
      .default(NETWORK_LIMITS.days.default)
      .describe('The window: gatherings that started in the last N days'),
    limit: z
      .number()
      .int()
      .min(1)
      .max(NETWORK_LIMITS.nodes.max)
      .default(NETWORK_LIMITS.nodes.default)
      .describe('The N most influential members are returned'),
    minStrength: z
      .number()
      .min(0)
      .max(1_000)
      .default(1)
      .describe('Edges weaker than this are left out (before ranking)'),
    maxEdges: z
      .number()
      .int()
      .min(0)
      .max(NETWORK_LIMITS.returnedEdges.max)
      .default(NETWORK_LIMITS.returnedEdges.default)
      .describe('At most this many edges between the returned members, strongest first'),
  })
  .default({ days: 30, limit: 100, minStrength: 1, maxEdges: 500 });

export const edgeReasons = ['co-attendance', 'connection', 'shared-interests'] as const;

export const networkOutput = z.object({
  at: timestampSchema,
  days: z.number().int(),
  nodes: z.array(
    z.object({
      id: idSchema,
      name: z.string(),
      primaryTopic: z
        .string()
        .nullable()
        .describe('The tag of most of their gatherings in the window, else their first interest'),
      floor: z.number().int().nullable().describe('Home floor number'),
      influenceScore: z
        .number()
        .describe('Weighted PageRank (damping 0.85) on the whole graph; all members sum to 1'),
      community: z.number().int().describe('Label-propagation community; 0 is the largest'),
    }),
  ),
  edges: z.array(
    z.object({
      source: idSchema,
      target: idSchema,
      strength: z
        .number()
        .describe(
          `${EDGE_WEIGHTS.coAttendance} per gathering both attended (going RSVP or check-in) + ${EDGE_WEIGHTS.connection} for an explicit connection + ${EDGE_WEIGHTS.sharedInterest} per shared interest (interests only strengthen pairs that met or connected)`,
        ),
      reason: z.enum(edgeReasons).describe('The largest part of the strength'),
      eventCount: z.number().int().describe('Gatherings both attended in the window'),
    }),
  ),
  graph: z.object({
    candidates: z.number().int().describe('Members considered (the most active in the window)'),
    nodes: z.number().int().describe('Members with at least one edge among them'),
    edges: z.number().int(),
    communities: z.number().int(),
  }),
});

export type NetworkInput = z.infer<typeof networkInput>;
export type Network = z.infer<typeof networkOutput>;
export type EdgeReason = (typeof edgeReasons)[number];

export const networkMeta = {
  openapi: {
    method: 'GET',
    path: '/community/network',
    tags: ['community'],
    summary:
      'The member graph: co-attendance, connections, shared interests; influence, communities',
    description: 'Cached 300 s.',
  },
} satisfies PulseMeta;
