import { type ApiKeyScope, isConcurrencyConflict, type Role, scopeTo } from '@pulse/db';
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

/**
 * A write that lost to concurrent ones (a deadlock, also after its transaction's retries) was
 * rolled back whole: the caller may send it again. 409, never a 500.
 */
const concurrencyConflicts = middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isConcurrencyConflict(result.error.cause)) {
    throw new PulseError(
      'CONCURRENT_WRITE',
      'Concurrent writes to the same rows got in each other’s way and nothing was changed: send it again',
      { cause: result.error.cause },
    );
  }
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

export const publicProcedure = baseProcedure
  .use(observed)
  .use(concurrencyConflicts)
  .use(anonymousRateLimit);

/** A signed-in person or an API key, not yet checked for what it may do. */
const callerProcedure = baseProcedure.use(observed).use(concurrencyConflicts).use(authenticated);

/** A signed-in person (API keys are refused: they have no account to manage). */
export const userProcedure = callerProcedure.use(({ ctx, next }) => {
  const { caller } = ctx;
  if (caller.kind !== 'user') {
    throw new PulseError('FORBIDDEN', 'This needs a signed-in user; API keys cannot call it');
  }
  return next({ ctx: { caller } });
});

/** Users below `minimum` get 403 before the resolver runs. */
export function roleProcedure(minimum: Role) {
  return userProcedure.use(({ ctx, next }) => {
    if (!hasAtLeast(ctx.caller.role, minimum)) {
      throw new PulseError(
        'FORBIDDEN',
        `This needs the ${minimum} role or higher; you are ${ctx.caller.role}`,
      );
    }
    return next();
  });
}

/**
 * Workspace data: a user with at least `role`, or an API key with scope `keyScope`. Ingest
 * takes (member, ingest); reads take (viewer, read).
 */
export function workspaceProcedure(access: { role: Role; keyScope: ApiKeyScope }) {
  return callerProcedure.use(({ ctx, next }) => {
    const { caller } = ctx;
    if (caller.kind === 'apiKey' && caller.scope !== access.keyScope) {
      throw new PulseError(
        'FORBIDDEN',
        `This needs an API key with the ${access.keyScope} scope; this one has ${caller.scope}`,
      );
    }
    if (caller.kind === 'user' && !hasAtLeast(caller.role, access.role)) {
      throw new PulseError(
        'FORBIDDEN',
        `This needs the ${access.role} role or higher; you are ${caller.role}`,
      );
    }
    return next();
  });
}
