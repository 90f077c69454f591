import { z } from 'zod';
import { idSchema, timestampSchema } from '../fields.js';
import { pageInput } from '../pagination.js';
import type { PulseMeta } from '../trpc.js';
import { pageOf, timeRangeFilters } from './spaces.fields.js';

const checkInIdSchema = z
  .string()
  .regex(/^\d{1,18}$/, 'must be a check-in id (decimal digits)')
  .describe('Decimal string; increases with time of recording');

export const checkInSchema = z
  .object({
    id: checkInIdSchema,
    memberId: idSchema,
    roomId: idSchema.nullable(),
    floorId: idSchema.nullable(),
    gatheringId: idSchema.nullable(),
    checkedInAt: timestampSchema,
    checkedOutAt: timestampSchema.nullable().describe('null: still there'),
  })
  .meta({ id: 'CheckIn' });

const atSchema = () =>
  timestampSchema.optional().describe('When it happened; defaults to now, never in the future');

export const checkInInput = z.strictObject({
  memberId: idSchema.optional().describe('Defaults to you; admins and ingest keys name anyone'),
  roomId: idSchema
    .optional()
    .describe('The room entered; neither room nor gathering: the building'),
  gatheringId: idSchema.optional().describe('A gathering attended (its room is recorded too)'),
  at: atSchema(),
});

export const checkInOutput = z.object({
  checkIn: checkInSchema,
  closed: checkInSchema.nullable().describe('The open check-in elsewhere that this one ended'),
});

export const checkOutInput = z.strictObject({
  memberId: idSchema.optional().describe('Defaults to you; admins and ingest keys name anyone'),
  at: atSchema(),
});

export const getCheckInInput = z.strictObject({ id: checkInIdSchema });

export const listCheckInsInput = z.strictObject({
  ...pageInput,
  memberId: idSchema.optional(),
  roomId: idSchema.optional(),
  floorId: idSchema.optional(),
  gatheringId: idSchema.optional(),
  open: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: only people still in; false: only finished visits'),
  ...timeRangeFilters,
});

export const listCheckInsOutput = pageOf(checkInSchema);

export type CheckInDto = z.infer<typeof checkInSchema>;
export type CheckInInput = z.infer<typeof checkInInput>;
export type CheckOutInput = z.infer<typeof checkOutInput>;
export type ListCheckInsInput = z.infer<typeof listCheckInsInput>;

const tags = ['spaces'];
const path = '/spaces/check-ins';

export const checkInsMeta = {
  checkIn: {
    openapi: {
      method: 'POST',
      path,
      tags,
      summary: 'Check a member in to the building, a room or a gathering',
      description:
        'A member has one open check-in: checking in elsewhere checks out of the previous place first. Stored as space.check_in (and space.check_out) events too.',
    },
  },
  checkOut: {
    openapi: {
      method: 'POST',
      path: `${path}/check-out`,
      tags,
      summary: "End a member's open check-in",
    },
  },
  list: { openapi: { method: 'GET', path, tags, summary: 'Check-ins, newest first' } },
  get: { openapi: { method: 'GET', path: `${path}/{id}`, tags, summary: 'One check-in' } },
} satisfies Record<string, PulseMeta>;
