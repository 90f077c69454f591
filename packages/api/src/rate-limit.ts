import type { Caller } from './auth/caller.js';
import type { Context } from './context.js';
import { PulseError } from './errors.js';
import type { RateLimitDecision } from './infra/rate-limiter.js';

export interface RateLimitMeta {
  limit: number;
  windowMs: number;
}

const MINUTE = 60_000;

/** Applied when a procedure's meta names no limit of its own. */
export const DEFAULT_RATE_LIMITS = {
  anonymous: { limit: 60, windowMs: MINUTE },
  user: { limit: 600, windowMs: MINUTE },
  apiKey: { limit: 6000, windowMs: MINUTE },
} as const satisfies Record<string, RateLimitMeta>;

/**
 * Counts one call against the caller's (or, when anonymous, the IP's) window for this
 * procedure, sets the IETF RateLimit headers where the transport has headers, and refuses
 * with 429 + Retry-After once the window is full.
 */
export async function enforceRateLimit(
  ctx: Context,
  path: string,
  subject: Caller | null,
  meta: RateLimitMeta | undefined,
): Promise<void> {
  const base = meta ?? DEFAULT_RATE_LIMITS[subject?.kind ?? 'anonymous'];
  const who = !subject
    ? `ip:${ctx.request.ip}`
    : subject.kind === 'user'
      ? `u:${subject.userId}`
      : `k:${subject.keyId}`;
  await enforceRateLimitFor(ctx, `rl:${path}:${who}`, base);
}

/** The same check for a window of the caller's choosing (e.g. per chat rather than per user). */
export async function enforceRateLimitFor(
  ctx: Context,
  bucket: string,
  base: RateLimitMeta,
): Promise<void> {
  const { enabled, scale } = ctx.config.rateLimits;
  if (!enabled) return;
  const rule = { limit: Math.max(1, Math.round(base.limit * scale)), windowMs: base.windowMs };
  const decision = await ctx.infra.rateLimiter.consume(bucket, rule);
  writeRateLimitHeaders(ctx, decision);
  if (!decision.allowed) {
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    ctx.request.setHeader?.('Retry-After', String(seconds));
    throw new PulseError(
      'RATE_LIMITED',
      `Rate limit of ${rule.limit} per ${rule.windowMs / 1000}s exceeded; retry in ${seconds}s`,
    );
  }
}

function writeRateLimitHeaders(ctx: Context, decision: RateLimitDecision): void {
  const set = ctx.request.setHeader;
  if (!set) return;
  set('RateLimit-Limit', String(decision.limit));
  set('RateLimit-Remaining', String(decision.remaining));
  set('RateLimit-Reset', String(Math.ceil(decision.resetMs / 1000)));
}
