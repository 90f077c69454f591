import { z } from 'zod';
import { timestampSchema } from '../../fields.js';
import type { PulseMeta } from '../../trpc.js';

export const MAX_SCHEMA_TYPES = 500;

// The same bounds as an event's own `type` at ingestion.
export const eventTypeSchema = z.string().min(1).max(100).describe('An event type, e.g. purchase');

export const setSchemaInput = z.strictObject({
  type: eventTypeSchema,
  schema: z
    .record(z.string(), z.unknown())
    .describe(
      'JSON-Schema subset for the properties object: type (string, number, integer, boolean, object, array), enum, minimum, maximum, maxLength, properties, required, additionalProperties, items, description',
    ),
  description: z.string().max(500).optional(),
});

export const getSchemaInput = z.strictObject({
  type: eventTypeSchema,
  version: z.number().int().min(1).optional().describe('A past version; the latest when absent'),
});

export const eventSchemaVersion = z
  .object({
    type: z.string(),
    version: z.number().int().describe('1 for the first registration, +1 for each one after'),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().nullable(),
    createdAt: timestampSchema,
    createdBy: z.string().nullable().describe('The user who registered this version'),
  })
  .meta({ id: 'EventSchema' });

export const listSchemasInput = z.strictObject({}).optional();

export const listSchemasOutput = z.object({
  items: z
    .array(eventSchemaVersion.extend({ versions: z.number().int() }))
    .describe('The latest version of every registered type, by type'),
});

export type SetSchemaInput = z.infer<typeof setSchemaInput>;
export type EventSchemaVersion = z.infer<typeof eventSchemaVersion>;

const tags = ['analytics'];

export const schemasMeta = {
  set: {
    openapi: {
      method: 'PUT',
      path: '/analytics/schemas/{type}',
      tags,
      summary: 'Register a new version of an event type’s property schema (admin)',
      description:
        'The schema is checked first: an unsupported keyword or a malformed value answers 400 naming its path, such as schema.properties.price.minimum. Every registration is a new version; older versions stay readable.',
    },
  },
  get: {
    openapi: {
      method: 'GET',
      path: '/analytics/schemas/{type}',
      tags,
      summary: 'The property schema of an event type (latest, or ?version=N)',
    },
  },
  list: {
    openapi: {
      method: 'GET',
      path: '/analytics/schemas',
      tags,
      summary: 'Every event type with a registered schema, latest versions',
    },
  },
} satisfies Record<string, PulseMeta>;
