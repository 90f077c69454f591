import { z } from 'zod';
import { idSchema, timestampSchema } from '../fields.js';
import { pageInput } from '../pagination.js';
import type { PulseMeta } from '../trpc.js';
import { moneySchema, pageOf, timeRangeFilters } from './spaces.fields.js';

export const MAX_BOOKING_DAYS = 7;

export const bookingSchema = z
  .object({
    id: idSchema,
    roomId: idSchema,
    floorId: idSchema,
    memberId: idSchema.nullable(),
    startsAt: timestampSchema,
    endsAt: timestampSchema,
    pricePaid: z.number(),
    createdAt: timestampSchema,
    cancelledAt: timestampSchema.nullable(),
  })
  .meta({ id: 'RoomBooking' });

export const createBookingInput = z.strictObject({
  roomId: idSchema,
  startsAt: timestampSchema,
  endsAt: timestampSchema.describe(`After startsAt, at most ${MAX_BOOKING_DAYS} days later`),
  memberId: idSchema
    .nullable()
    .optional()
    .describe('Who books; defaults to you. Admins and ingest keys name anyone, or null'),
  pricePaid: moneySchema()
    .optional()
    .describe("Admins and ingest keys only; default: the room's hourly price × hours"),
});

export const listBookingsInput = z.strictObject({
  ...pageInput,
  roomId: idSchema.optional(),
  floorId: idSchema.optional(),
  memberId: idSchema.optional(),
  includeCancelled: z.enum(['true', 'false']).default('false'),
  ...timeRangeFilters,
});

export const listBookingsOutput = pageOf(bookingSchema);

export const bookingIdInput = z.strictObject({ id: idSchema });

export type BookingDto = z.infer<typeof bookingSchema>;
export type CreateBookingInput = z.infer<typeof createBookingInput>;
export type ListBookingsInput = z.infer<typeof listBookingsInput>;

const tags = ['spaces'];
const path = '/spaces/bookings';

export const bookingsMeta = {
  create: {
    openapi: {
      method: 'POST',
      path,
      tags,
      summary: 'Book a room for a time slot',
      description:
        'A slot overlapping another live booking of the same room is refused with 409 SLOT_TAKEN; concurrent requests for one room are decided one at a time.',
    },
  },
  list: {
    openapi: {
      method: 'GET',
      path,
      tags,
      summary: 'Bookings by start time (from/to select those overlapping the range)',
    },
  },
  get: { openapi: { method: 'GET', path: `${path}/{id}`, tags, summary: 'One booking' } },
  cancel: {
    openapi: {
      method: 'DELETE',
      path: `${path}/{id}`,
      tags,
      summary: 'Cancel a booking (yours, or any for admins); the slot is free again',
    },
  },
} satisfies Record<string, PulseMeta>;
