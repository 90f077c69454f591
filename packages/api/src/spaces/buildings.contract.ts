import { z } from 'zod';
import { idSchema, timestampSchema } from '../fields.js';
import { pageInput } from '../pagination.js';
import type { PulseMeta } from '../trpc.js';
import { nameSchema, pageOf } from './spaces.fields.js';

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const timezoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin')
  .describe('IANA time zone of the building (hours of the week are counted in it)');

export const buildingSchema = z
  .object({ id: idSchema, name: z.string(), timezone: z.string(), createdAt: timestampSchema })
  .meta({ id: 'Building' });

export const floorSchema = z
  .object({ id: idSchema, buildingId: idSchema, number: z.number().int(), name: z.string() })
  .meta({ id: 'Floor' });

const floorNumber = () => z.number().int().min(-20).max(500).describe('Storey, -20 to 500');

export const createBuildingInput = z.strictObject({
  name: nameSchema(),
  timezone: timezoneSchema.default('UTC'),
});
export const updateBuildingInput = z.strictObject({
  id: idSchema,
  name: nameSchema().optional(),
  timezone: timezoneSchema.optional(),
});
export const createFloorInput = z.strictObject({
  buildingId: idSchema,
  number: floorNumber(),
  name: nameSchema(),
});
export const updateFloorInput = z.strictObject({
  id: idSchema,
  number: floorNumber().optional(),
  name: nameSchema().optional(),
});

export const idInput = z.strictObject({ id: idSchema });
export const listBuildingsInput = z.strictObject({ ...pageInput });
export const listFloorsInput = z.strictObject({
  ...pageInput,
  buildingId: idSchema.optional().describe('Only the floors of this building'),
});

export const listBuildingsOutput = pageOf(buildingSchema);
export const listFloorsOutput = pageOf(floorSchema);
export const deletedOutput = z.object({ deleted: z.literal(true) });

export type BuildingDto = z.infer<typeof buildingSchema>;
export type FloorDto = z.infer<typeof floorSchema>;
export type UpdateFloorInput = z.infer<typeof updateFloorInput>;

const tags = ['spaces'];

/** GET list, POST create, GET/PATCH/DELETE by id: the REST shape of every building part. */
export function crudMeta(path: `/${string}`, noun: string, plural: string) {
  return {
    list: { openapi: { method: 'GET', path, tags, summary: `${plural}, with filters` } },
    create: { openapi: { method: 'POST', path, tags, summary: `Add a ${noun}` } },
    get: { openapi: { method: 'GET', path: `${path}/{id}`, tags, summary: `One ${noun}` } },
    update: {
      openapi: { method: 'PATCH', path: `${path}/{id}`, tags, summary: `Change a ${noun}` },
    },
    delete: {
      openapi: {
        method: 'DELETE',
        path: `${path}/{id}`,
        tags,
        summary: `Remove a ${noun} and everything in it`,
      },
    },
  } satisfies Record<string, PulseMeta>;
}

export const buildingsMeta = crudMeta('/spaces/buildings', 'building', 'Buildings');
export const floorsMeta = crudMeta('/spaces/floors', 'floor', 'Floors, by number');
