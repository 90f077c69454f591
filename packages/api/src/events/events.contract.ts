import { z } from 'zod';
import { timestampSchema } from '../fields.js';
import { pageInput } from '../pagination.js';
import type { PulseMeta } from '../trpc.js';

export const MAX_BATCH_EVENTS = 1000;
const identifier = (what: string) => z.string().min(1).max(128).describe(what);

/** One event as a client sends it: `id` is the client's idempotency key. */
export const eventInput = z
  .strictObject({
    id: identifier('Idempotency key chosen by the client: the same id is stored once'),
    type: z.string().min(1).max(100).describe('e.g. page_view, add_to_cart, purchase'),
    timestamp: timestampSchema.optional().describe('ISO 8601; defaults to arrival'),
    userId: identifier('Signed-in user').optional(),
    anonymousId: identifier('Device or cookie id').optional(),
    sessionId: identifier('Session id').optional(),
    // Checked as JSON (and for size) once, when the service serialises it for storage:
    // a recursive schema here would cost more than the insert.
    properties: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Free-form JSON object, at most 16 KiB'),
    productId: identifier('Product, for commerce events').optional(),
    price: z.number().finite().min(0).max(1e12).optional(),
    quantity: z.number().int().min(0).max(1_000_000).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
      .optional(),
  })
  .meta({ id: 'EventInput' });

export const eventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    timestamp: timestampSchema,
    receivedAt: timestampSchema,
    userId: z.string().nullable(),
    anonymousId: z.string().nullable(),
    sessionId: z.string().nullable(),
    properties: z.record(z.string(), z.unknown()),
    productId: z.string().nullable(),
    price: z.number().nullable(),
    quantity: z.number().int().nullable(),
    currency: z.string().nullable(),
  })
  .meta({ id: 'Event' });

export const ingestEventOutput = z.object({ id: z.string(), duplicate: z.boolean() });

export const ingestBatchInput = z.strictObject({
  // Items are validated one by one in the service, so a bad one is reported by its index
  // instead of failing the whole request at the schema.
  events: z
    .array(z.unknown())
    .min(1)
    .max(MAX_BATCH_EVENTS)
    .describe(`Up to ${MAX_BATCH_EVENTS} EventInput objects; each is validated on its own`),
  partial: z
    .boolean()
    .default(false)
    .describe(
      'true: store the valid events and report the rest; false: any invalid event rejects the batch',
    ),
});

export const rejectedItemSchema = z.object({
  index: z.number().int(),
  path: z.string(),
  message: z.string(),
});

export const ingestBatchOutput = z.object({
  accepted: z.number().int().describe('Events stored by this request'),
  duplicates: z
    .number()
    .int()
    .describe('Events whose id was already stored (or repeated in the batch)'),
  rejected: z.array(rejectedItemSchema),
});

export const listEventsInput = z.strictObject({
  ...pageInput,
  type: z.string().max(100).optional(),
  userId: z.string().max(128).optional(),
  sessionId: z.string().max(128).optional(),
  from: timestampSchema.optional().describe('Inclusive lower bound on timestamp'),
  to: timestampSchema.optional().describe('Exclusive upper bound on timestamp'),
  property: z
    .array(z.string().regex(/^[^=]+=.*$/s, 'must look like key=value'))
    .max(10)
    .optional()
    .describe('Property equality filters, key=value (repeatable)'),
});

export const listEventsOutput = z.object({
  items: z.array(eventSchema),
  nextCursor: z.string().nullable(),
});
export const getEventInput = z.strictObject({ id: z.string().min(1).max(128) });

export type EventInput = z.infer<typeof eventInput>;
export type EventDto = z.infer<typeof eventSchema>;
export type IngestBatchInput = z.infer<typeof ingestBatchInput>;
export type IngestBatchResult = z.infer<typeof ingestBatchOutput>;
export type ListEventsInput = z.infer<typeof listEventsInput>;

const tags = ['events'];

export const eventsMeta = {
  ingest: {
    openapi: {
      method: 'POST',
      path: '/events',
      tags,
      summary: 'Ingest one event (idempotent on id)',
    },
  },
  ingestBatch: {
    openapi: {
      method: 'POST',
      path: '/events/batch',
      tags,
      summary: `Ingest up to ${MAX_BATCH_EVENTS} events in one transaction`,
    },
  },
  list: {
    openapi: {
      method: 'GET',
      path: '/events',
      tags,
      summary: 'Events, newest first, with filters',
    },
  },
  get: { openapi: { method: 'GET', path: '/events/{id}', tags, summary: 'One event by its id' } },
} satisfies Record<string, PulseMeta>;
