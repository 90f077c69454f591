export interface RateLimitRule {
  /** Requests allowed inside any window of `windowMs`. */
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Requests still allowed in the current window (0 when refused). */
  remaining: number;
  /** Milliseconds until one more request would be allowed (0 when allowed). */
  retryAfterMs: number;
  /** Milliseconds until the window is completely clear again. */
  resetMs: number;
}

/** Sliding-window limiter: a request counts against every window that contains it. */
export interface RateLimiter {
  consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

/** Both twins refuse the same malformed rules; fractional windows round up to whole ms. */
export function checkedRateLimitRule(rule: RateLimitRule): RateLimitRule {
  if (!Number.isInteger(rule.limit) || rule.limit < 1) {
    throw new RangeError(`Rate limit must be a positive integer, got ${rule.limit}`);
  }
  if (!Number.isFinite(rule.windowMs) || rule.windowMs <= 0) {
    throw new RangeError(`Rate limit window must be positive milliseconds, got ${rule.windowMs}`);
  }
  return { limit: rule.limit, windowMs: Math.ceil(rule.windowMs) };
}
