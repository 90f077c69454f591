export interface ReconnectOptions {
  /** Delay bound of the first retries, in ms. Default 500. */
  minDelayMs?: number;
  /** Upper bound of any delay, in ms. Default 30 000. */
  maxDelayMs?: number;
}

export const DEFAULT_MIN_DELAY_MS = 500;
export const DEFAULT_MAX_DELAY_MS = 30_000;

/**
 * How long to wait before WebSocket reconnect attempt `attempt` (0-based): exponential backoff
 * with jitter, so clients dropped together by a server restart don't reconnect together.
 * Attempt 0 waits up to `minDelayMs`; attempt n waits between half and all of
 * `min(maxDelayMs, minDelayMs * 2^n)`.
 */
export function reconnectDelayMs(
  attempt: number,
  options: ReconnectOptions = {},
  random: () => number = Math.random,
): number {
  const min = Math.max(0, options.minDelayMs ?? DEFAULT_MIN_DELAY_MS);
  const max = Math.max(min, options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS);
  if (attempt <= 0) return Math.round(random() * min);
  const ceiling = Math.min(max, min * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
