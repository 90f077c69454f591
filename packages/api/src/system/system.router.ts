import { z } from 'zod';
import { publicProcedure } from '../procedures.js';
import { router } from '../trpc.js';
import { healthOutput, systemMeta } from './system.contract.js';
import { health } from './system.service.js';

export const systemRouter = router({
  health: publicProcedure
    .meta(systemMeta.health)
    .input(z.void())
    .output(healthOutput)
    .query(({ ctx }) => health(ctx)),
});
