/**
 * PostgreSQL's SQLSTATEs for a transaction that lost to a concurrent one and was rolled back
 * whole: a deadlock (`40P01`, e.g. two writers whose triggers lock the same rooms and
 * gatherings in different orders) or a serialization failure (`40001`). Nothing it did
 * remains, so running it again is safe and usually succeeds.
 */
const CONFLICT_CODES = new Set(['40P01', '40001']);

export function isConcurrencyConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONFLICT_CODES.has(code);
}

const ATTEMPTS = 3;

/** Runs `transaction` again (up to three times in all) when it loses to a concurrent one. */
export async function retryingConflicts<R>(transaction: () => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isConcurrencyConflict(error)) throw error;
      // A few milliseconds apart, at random, so the two losers do not meet again.
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 10 * attempt));
    }
  }
}
