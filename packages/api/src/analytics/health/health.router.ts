import { roleProcedure, workspaceProcedure } from '../../procedures.js';
import { router } from '../../trpc.js';
import { dataQualityInput, dataQualityMeta, dataQualityOutput } from './data-quality.contract.js';
import { dataQuality } from './data-quality.service.js';
import { latencyInput, latencyMeta, latencyOutput } from './latency.contract.js';
import { ingestionLatency } from './latency.service.js';
import {
  eventSchemaVersion,
  getSchemaInput,
  listSchemasInput,
  listSchemasOutput,
  schemasMeta,
  setSchemaInput,
} from './schemas.contract.js';
import { getEventSchema, listEventSchemas, setEventSchema } from './schemas.service.js';

const readAccess = workspaceProcedure({ role: 'viewer', keyScope: 'read' });

/** Procedures of `analytics`; analytics.router.ts merges them into one namespace. */
export const healthProcedures = {
  schemas: router({
    // Schemas change what every report counts as compliant: people with admin rights only.
    set: roleProcedure('admin')
      .meta(schemasMeta.set)
      .input(setSchemaInput)
      .output(eventSchemaVersion)
      .mutation(({ ctx, input }) => setEventSchema(ctx, input)),
    get: readAccess
      .meta(schemasMeta.get)
      .input(getSchemaInput)
      .output(eventSchemaVersion)
      .query(({ ctx, input }) => getEventSchema(ctx, input.type, input.version)),
    list: readAccess
      .meta(schemasMeta.list)
      .input(listSchemasInput)
      .output(listSchemasOutput)
      .query(({ ctx }) => listEventSchemas(ctx)),
  }),
  dataQuality: readAccess
    .meta(dataQualityMeta.dataQuality)
    .input(dataQualityInput)
    .output(dataQualityOutput)
    .query(({ ctx, input }) => dataQuality(ctx, input)),
  latency: readAccess
    .meta(latencyMeta.latency)
    .input(latencyInput)
    .output(latencyOutput)
    .query(({ ctx, input }) => ingestionLatency(ctx, input?.minutes ?? 60)),
};
