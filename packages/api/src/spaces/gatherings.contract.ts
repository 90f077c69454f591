import { z } from 'zod';
import { idSchema, timestampSchema } from '../fields.js';
import { pageInput } from '../pagination.js';
import { crudMeta } from './buildings.contract.js';
import { MAX_ROOM_CAPACITY } from './rooms.contract.js';
import {
  countSchema,
  moneySchema,
  nameSchema,
  pageOf,
  tagFilterSchema,
  tagListSchema,
  timeRangeFilters,
} from './spaces.fields.js';

export const MAX_GATHERING_DAYS = 7;

export const gatheringSchema = z
  .object({
    id: idSchema,
    roomId: idSchema,
    floorId: idSchema,
    hostMemberId: idSchema.nullable(),
    title: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
    startsAt: timestampSchema,
    endsAt: timestampSchema,
    capacity: z.number().int().describe("Places: the gathering's own limit, else the room's"),
    price: z.number(),
    going: z.number().int().describe('RSVPs with status going'),
    interested: z.number().int().describe('RSVPs with status interested'),
  })
  .meta({ id: 'Gathering' });

const gatheringFields = {
  roomId: idSchema,
  title: nameSchema(200),
  description: z.string().trim().max(5000).optional(),
  tags: tagListSchema('Topics').optional(),
  startsAt: timestampSchema,
  endsAt: timestampSchema.describe(`After startsAt, at most ${MAX_GATHERING_DAYS} days later`),
  capacity: countSchema(MAX_ROOM_CAPACITY)
    .nullable()
    .optional()
    .describe("At most the room's capacity; null: the room's capacity"),
  price: moneySchema().optional().describe('Ticket price; default 0'),
};

export const createGatheringInput = z.strictObject({
  ...gatheringFields,
  hostMemberId: idSchema
    .nullable()
    .optional()
    .describe('Defaults to your member profile; only admins name someone else'),
});

export const updateGatheringInput = z.strictObject({
  id: idSchema,
  roomId: gatheringFields.roomId.optional(),
  title: gatheringFields.title.optional(),
  description: gatheringFields.description,
  tags: gatheringFields.tags,
  startsAt: gatheringFields.startsAt.optional(),
  endsAt: gatheringFields.endsAt.optional(),
  capacity: countSchema(MAX_ROOM_CAPACITY).nullable().optional(),
  price: moneySchema().optional(),
  hostMemberId: idSchema.nullable().optional().describe('Admins only'),
});

export const listGatheringsInput = z.strictObject({
  ...pageInput,
  floorId: idSchema.optional(),
  roomId: idSchema.optional(),
  hostMemberId: idSchema.optional(),
  attendeeId: idSchema
    .optional()
    .describe('Only gatherings this member is going to or interested in'),
  tag: tagFilterSchema.optional().describe('Only gatherings with this tag'),
  ...timeRangeFilters,
});

export const listGatheringsOutput = pageOf(gatheringSchema);

export type GatheringDto = z.infer<typeof gatheringSchema>;
export type CreateGatheringInput = z.infer<typeof createGatheringInput>;
export type UpdateGatheringInput = z.infer<typeof updateGatheringInput>;
export type ListGatheringsInput = z.infer<typeof listGatheringsInput>;

export const gatheringsMeta = crudMeta(
  '/spaces/gatherings',
  'gathering',
  'Gatherings by start time (from/to select those overlapping the range)',
);
