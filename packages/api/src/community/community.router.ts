import { workspaceProcedure } from '../procedures.js';
import { router } from '../trpc.js';
import { connectionsRouter } from './connections.router.js';
import { membersRouter } from './members.router.js';
import { networkInput, networkMeta, networkOutput } from './network.contract.js';
import { communityNetwork } from './network.service.js';

export const communityRouter = router({
  members: membersRouter,
  connections: connectionsRouter,
  network: workspaceProcedure({ role: 'viewer', keyScope: 'read' })
    .meta(networkMeta)
    .input(networkInput)
    .output(networkOutput)
    .query(({ ctx, input }) => communityNetwork(ctx, input)),
});
