import { z } from 'zod';
import { idSchema, timestampSchema } from '../fields.js';
import { pageInput } from '../pagination.js';
import { pageOf } from '../spaces/spaces.fields.js';
import type { PulseMeta } from '../trpc.js';

export const connectionSchema = z
  .object({
    memberId: idSchema.describe('The other member'),
    name: z.string(),
    headline: z.string().nullable(),
    connectedAt: timestampSchema,
  })
  .meta({ id: 'MemberConnection' });

export const listConnectionsInput = z.strictObject({ ...pageInput, memberId: idSchema });
export const listConnectionsOutput = pageOf(connectionSchema);

export const connectionInput = z.strictObject({
  memberId: idSchema.describe('You, or anyone for admins and ingest keys'),
  otherMemberId: idSchema,
});

export const createConnectionOutput = z.object({
  connection: connectionSchema,
  created: z.boolean().describe('false when the two were already connected'),
});

export const deleteConnectionOutput = z.object({ deleted: z.literal(true) });

export type ConnectionInput = z.infer<typeof connectionInput>;
export type ListConnectionsInput = z.infer<typeof listConnectionsInput>;

const tags = ['community'];
const path = '/community/members/{memberId}/connections';

export const connectionsMeta = {
  list: { openapi: { method: 'GET', path, tags, summary: "A member's connections, by name" } },
  create: {
    openapi: {
      method: 'POST',
      path,
      tags,
      summary: 'Connect two members (stored once per pair, whoever asks)',
    },
  },
  delete: {
    openapi: {
      method: 'DELETE',
      path: `${path}/{otherMemberId}`,
      tags,
      summary: 'Remove a connection',
    },
  },
} satisfies Record<string, PulseMeta>;
