import { z } from 'zod';
import { idSchema } from '../fields.js';
import { pageInput } from '../pagination.js';
import { crudMeta } from './buildings.contract.js';
import {
  countSchema,
  moneySchema,
  nameSchema,
  pageOf,
  tagFilterSchema,
  tagListSchema,
} from './spaces.fields.js';

export const MAX_ROOM_CAPACITY = 100_000;

const roomKindSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be a lower-case word such as meeting, event or lounge')
  .describe('meeting, event, desk, lounge, lab, studio, … (lower-case, 1–40 characters)');

const coordinate = () => z.number().min(-1_000_000).max(1_000_000);
const extent = () => z.number().gt(0).max(1_000_000);

export const roomSchema = z
  .object({
    id: idSchema,
    floorId: idSchema,
    name: z.string(),
    kind: z.string(),
    capacity: z.number().int(),
    x: z.number(),
    y: z.number(),
    width: z.number(),
    height: z.number(),
    amenities: z.array(z.string()),
    hourlyPrice: z.number(),
  })
  .meta({ id: 'Room' });

const roomFields = {
  name: nameSchema(),
  kind: roomKindSchema,
  capacity: countSchema(MAX_ROOM_CAPACITY).describe('People the room holds'),
  x: coordinate().optional().describe('Floor-plan position, left edge'),
  y: coordinate().optional().describe('Floor-plan position, top edge'),
  width: extent().optional().describe('Floor-plan width, > 0'),
  height: extent().optional().describe('Floor-plan height, > 0'),
  amenities: tagListSchema('Amenities').optional(),
  hourlyPrice: moneySchema().optional().describe('Price of one booked hour; default 0'),
};

export const createRoomInput = z.strictObject({ floorId: idSchema, ...roomFields });

export const updateRoomInput = z.strictObject({
  id: idSchema,
  floorId: idSchema.optional().describe('Move the room to another floor'),
  name: roomFields.name.optional(),
  kind: roomFields.kind.optional(),
  capacity: countSchema(MAX_ROOM_CAPACITY).optional(),
  x: roomFields.x,
  y: roomFields.y,
  width: roomFields.width,
  height: roomFields.height,
  amenities: roomFields.amenities,
  hourlyPrice: moneySchema().optional(),
});

export const listRoomsInput = z.strictObject({
  ...pageInput,
  floorId: idSchema.optional(),
  kind: roomKindSchema.optional(),
  minCapacity: z.number().int().min(1).optional().describe('Rooms holding at least this many'),
  amenity: tagFilterSchema.optional().describe('Rooms offering this amenity'),
});

export const listRoomsOutput = pageOf(roomSchema);

export type RoomDto = z.infer<typeof roomSchema>;
export type CreateRoomInput = z.infer<typeof createRoomInput>;
export type UpdateRoomInput = z.infer<typeof updateRoomInput>;
export type ListRoomsInput = z.infer<typeof listRoomsInput>;

export const roomsMeta = crudMeta('/spaces/rooms', 'room', 'Rooms, by name');
