import { workspaceProcedure } from '../procedures.js';
import { router } from '../trpc.js';
import {
  eventInput,
  eventSchema,
  eventsMeta,
  getEventInput,
  ingestBatchInput,
  ingestBatchOutput,
  ingestEventOutput,
  listEventsInput,
  listEventsOutput,
} from './events.contract.js';
import * as events from './events.service.js';

const ingestAccess = workspaceProcedure({ role: 'member', keyScope: 'ingest' });
const readAccess = workspaceProcedure({ role: 'viewer', keyScope: 'read' });

export const eventsRouter = router({
  ingest: ingestAccess
    .meta(eventsMeta.ingest)
    .input(eventInput)
    .output(ingestEventOutput)
    .mutation(({ ctx, input }) => events.ingestEvent(ctx, input)),
  ingestBatch: ingestAccess
    .meta(eventsMeta.ingestBatch)
    .input(ingestBatchInput)
    .output(ingestBatchOutput)
    .mutation(({ ctx, input }) => events.ingestEventBatch(ctx, input)),
  list: readAccess
    .meta(eventsMeta.list)
    .input(listEventsInput)
    .output(listEventsOutput)
    .query(({ ctx, input }) => events.listWorkspaceEvents(ctx, input)),
  get: readAccess
    .meta(eventsMeta.get)
    .input(getEventInput)
    .output(eventSchema)
    .query(({ ctx, input }) => events.getEvent(ctx, input.id)),
});
