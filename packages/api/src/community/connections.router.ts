import { activityAccess, readAccess } from '../spaces/spaces.access.js';
import { router } from '../trpc.js';
import {
  connectionInput,
  connectionsMeta,
  createConnectionOutput,
  deleteConnectionOutput,
  listConnectionsInput,
  listConnectionsOutput,
} from './connections.contract.js';
import * as connections from './connections.service.js';

export const connectionsRouter = router({
  list: readAccess
    .meta(connectionsMeta.list)
    .input(listConnectionsInput)
    .output(listConnectionsOutput)
    .query(({ ctx, input }) => connections.listMemberConnections(ctx, input)),
  create: activityAccess
    .meta(connectionsMeta.create)
    .input(connectionInput)
    .output(createConnectionOutput)
    .mutation(({ ctx, input }) => connections.connectMembers(ctx, input)),
  delete: activityAccess
    .meta(connectionsMeta.delete)
    .input(connectionInput)
    .output(deleteConnectionOutput)
    .mutation(({ ctx, input }) => connections.disconnectMembers(ctx, input)),
});
