import { z } from 'zod';
import { roleProcedure } from '../procedures.js';
import { router } from '../trpc.js';
import { adminMeta, broadcastInput, broadcastOutput, connectionsOutput } from './admin.contract.js';
import * as admin from './admin.service.js';

export const adminRouter = router({
  connections: roleProcedure('admin')
    .meta(adminMeta.connections)
    .input(z.void())
    .output(connectionsOutput)
    .query(({ ctx }) => admin.connections(ctx)),
  broadcast: roleProcedure('admin')
    .meta(adminMeta.broadcast)
    .input(broadcastInput)
    .output(broadcastOutput)
    .mutation(({ ctx, input }) => admin.broadcast(ctx, input)),
});
