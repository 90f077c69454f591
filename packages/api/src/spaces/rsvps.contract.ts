import { RSVP_STATUSES } from '@pulse/db';
import { z } from 'zod';
import { idSchema, timestampSchema } from '../fields.js';
import { pageInput } from '../pagination.js';
import type { PulseMeta } from '../trpc.js';
import { pageOf } from './spaces.fields.js';

const statusSchema = z
  .enum(RSVP_STATUSES)
  .describe('going (counts against capacity), interested or cancelled');

export const rsvpSchema = z
  .object({
    gatheringId: idSchema,
    memberId: idSchema,
    memberName: z.string(),
    status: statusSchema,
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'Rsvp' });

export const setRsvpInput = z.strictObject({
  gatheringId: idSchema,
  status: statusSchema,
  memberId: idSchema.optional().describe('Defaults to you; admins and ingest keys name anyone'),
});

export const setRsvpOutput = z.object({
  rsvp: rsvpSchema,
  changed: z.boolean().describe('false when the member already had this status'),
  going: z.number().int().describe('Members going after this change'),
  capacity: z.number().int(),
});

export const listRsvpsInput = z.strictObject({
  ...pageInput,
  gatheringId: idSchema,
  status: statusSchema.optional(),
});

export const listRsvpsOutput = pageOf(rsvpSchema);

export type RsvpDto = z.infer<typeof rsvpSchema>;
export type SetRsvpInput = z.infer<typeof setRsvpInput>;
export type ListRsvpsInput = z.infer<typeof listRsvpsInput>;

const tags = ['spaces'];

export const rsvpsMeta = {
  set: {
    openapi: {
      method: 'PUT',
      path: '/spaces/gatherings/{gatheringId}/rsvp',
      tags,
      summary: 'Say you are going, interested, or no longer coming',
      description:
        'going is refused with 409 CAPACITY_REACHED when the gathering is full. Each change is also stored as a space.rsvp event.',
    },
  },
  list: {
    openapi: {
      method: 'GET',
      path: '/spaces/gatherings/{gatheringId}/rsvps',
      tags,
      summary: "A gathering's RSVPs, oldest first",
    },
  },
} satisfies Record<string, PulseMeta>;
