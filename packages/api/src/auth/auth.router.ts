import { publicProcedure } from '../procedures.js';
import { router } from '../trpc.js';
import {
  authMeta,
  authSessionOutput,
  loginInput,
  logoutInput,
  logoutOutput,
  refreshInput,
  registerInput,
} from './auth.contract.js';
import * as auth from './auth.service.js';

export const authRouter = router({
  register: publicProcedure
    .meta(authMeta.register)
    .input(registerInput)
    .output(authSessionOutput)
    .mutation(({ ctx, input }) => auth.register(ctx, input)),
  login: publicProcedure
    .meta(authMeta.login)
    .input(loginInput)
    .output(authSessionOutput)
    .mutation(({ ctx, input }) => auth.login(ctx, input)),
  refresh: publicProcedure
    .meta(authMeta.refresh)
    .input(refreshInput)
    .output(authSessionOutput)
    .mutation(({ ctx, input }) => auth.refresh(ctx, input.refreshToken)),
  logout: publicProcedure
    .meta(authMeta.logout)
    .input(logoutInput)
    .output(logoutOutput)
    .mutation(({ ctx, input }) => auth.logout(ctx, input.refreshToken)),
});
