import { z } from 'zod';
import { userProcedure } from '../procedures.js';
import { router } from '../trpc.js';
import {
  deleteMeInput,
  deleteMeOutput,
  meOutput,
  updateMeInput,
  usersMeta,
} from './users.contract.js';
import * as users from './users.service.js';

export const usersRouter = router({
  me: userProcedure
    .meta(usersMeta.me)
    .input(z.void())
    .output(meOutput)
    .query(({ ctx }) => users.getMe(ctx)),
  updateMe: userProcedure
    .meta(usersMeta.updateMe)
    .input(updateMeInput)
    .output(meOutput)
    .mutation(({ ctx, input }) => users.updateMe(ctx, input)),
  deleteMe: userProcedure
    .meta(usersMeta.deleteMe)
    .input(deleteMeInput)
    .output(deleteMeOutput)
    .mutation(({ ctx, input }) => users.deleteMe(ctx, input.password)),
});
