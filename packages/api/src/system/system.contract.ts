import { z } from 'zod';
import { timestampSchema } from '../fields.js';
import type { PulseMeta } from '../trpc.js';

export const healthOutput = z.object({
  status: z.literal('ok'),
  version: z.string(),
  startedAt: timestampSchema,
  uptimeSeconds: z.number(),
});

export type Health = z.infer<typeof healthOutput>;

export const systemMeta = {
  health: {
    openapi: {
      method: 'GET',
      path: '/system/health',
      tags: ['system'],
      protect: false,
      summary: 'Liveness',
    },
  },
} satisfies Record<string, PulseMeta>;
