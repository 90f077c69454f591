import { router } from '../trpc.js';
import { deletedOutput, idInput } from './buildings.contract.js';
import {
  createGatheringInput,
  gatheringSchema,
  gatheringsMeta,
  listGatheringsInput,
  listGatheringsOutput,
  updateGatheringInput,
} from './gatherings.contract.js';
import * as gatherings from './gatherings.service.js';
import { memberAccess, readAccess } from './spaces.access.js';

// Members create and change the gatherings they host; admins any (checked in the service).
export const gatheringsRouter = router({
  list: readAccess
    .meta(gatheringsMeta.list)
    .input(listGatheringsInput)
    .output(listGatheringsOutput)
    .query(({ ctx, input }) => gatherings.listWorkspaceGatherings(ctx, input)),
  create: memberAccess
    .meta(gatheringsMeta.create)
    .input(createGatheringInput)
    .output(gatheringSchema)
    .mutation(({ ctx, input }) => gatherings.createGathering(ctx, input)),
  get: readAccess
    .meta(gatheringsMeta.get)
    .input(idInput)
    .output(gatheringSchema)
    .query(({ ctx, input }) => gatherings.getGathering(ctx, input.id)),
  update: memberAccess
    .meta(gatheringsMeta.update)
    .input(updateGatheringInput)
    .output(gatheringSchema)
    .mutation(({ ctx, input }) => gatherings.changeGathering(ctx, input)),
  delete: memberAccess
    .meta(gatheringsMeta.delete)
    .input(idInput)
    .output(deletedOutput)
    .mutation(({ ctx, input }) => gatherings.removeGathering(ctx, input.id)),
});
