import type { Role } from '@pulse/db';
import { scopeTo } from '@pulse/db';
import { resolveCaller } from './auth/caller.js';
import { domainCodeOf, PulseError } from './errors.js';
import { enforceRateLimit } from './rate-limit.js';
import { hasAtLeast } from './roles.js';
import { baseProcedure, middleware } from './trpc.js';

const observed = middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next();
  ctx.observeProcedure?.({
    path,
    type,
    durationMs: performance.now() - started,
    ok: result.ok,
    ...(result.ok ? {} : { code: domainCodeOf(result.error) }),
  });
  return result;
});

const anonymousRateLimit = middleware(async ({ ctx, path, meta, next }) => {
  await enforceRateLimit(ctx, path, null, meta?.rateLimit);
  return next();
});

const authenticated = middleware(async ({ ctx, path, meta, next }) => {
  const caller = await resolveCaller(ctx);
  await enforceRateLimit(ctx, path, caller, meta?.rateLimit);
  return next({ ctx: { caller, scope: scopeTo(ctx.database.db, caller.workspaceId) } });
});

export const publicProcedure = baseProcedure.use(observed).use(anonymousRateLimit);

export const authedProcedure = baseProcedure.use(observed).use(authenticated);

/** Callers below `minimum` get 403 before the resolver runs. */
export function roleProcedure(minimum: Role) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!hasAtLeast(ctx.caller.role, minimum)) {
      throw new PulseError(
        'FORBIDDEN',
        `This needs the ${minimum} role or higher; you are ${ctx.caller.role}`,
      );
    }
    return next();
  });
}
