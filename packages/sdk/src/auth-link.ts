import { type Operation, TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable, type Unsubscribable } from '@trpc/server/observable';
import { isPulseError } from './errors.js';
import type { AppRouter } from './generated/app-router.js';
import type { TokenSession } from './session.js';

/** Procedures that manage tokens themselves: never refreshed before or retried after. */
const TOKEN_PROCEDURES = new Set(['auth.login', 'auth.register', 'auth.refresh', 'auth.logout']);

export interface AuthLinkOptions {
  session: TokenSession;
  /**
   * The token an operation actually reached the server with, if the transport knows better
   * than "the bearer token when it was sent" (a WebSocket authenticates once, when it opens).
   */
  tokenUsedBy?: (op: Operation) => string | undefined;
  /** Called before retrying `op` after `TOKEN_EXPIRED`, e.g. to replace a stale WebSocket. */
  beforeRetry?: (op: Operation) => void | Promise<void>;
}

/**
 * Keeps calls authenticated:
 * - before forwarding an operation, refreshes the access token if it expires within 30 s
 *   (concurrent operations share one refresh);
 * - if the server still answers `TOKEN_EXPIRED`, makes sure there's a newer token (refreshing
 *   only if nobody else already did) and retries the operation once. A subscription is retried
 *   only if it failed before delivering any event.
 */
export function authLink(options: AuthLinkOptions): TRPCLink<AppRouter> {
  const { session } = options;
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        const managesTokens = TOKEN_PROCEDURES.has(op.path);
        let current: Unsubscribable | undefined;
        let closed = false;

        const fail = (cause: unknown) => {
          if (!closed) observer.error(TRPCClientError.from(toError(cause)));
        };

        const attempt = async (isRetry: boolean) => {
          const sentWith = managesTokens ? session.bearer() : await session.freshBearer();
          if (closed) return;
          let delivered = false;
          current = next(op).subscribe({
            next(envelope) {
              const result = envelope.result;
              if (!('type' in result) || result.type === 'data' || result.type === undefined) {
                delivered = true;
              }
              observer.next(envelope);
            },
            error(error) {
              const retryable =
                !isRetry && !managesTokens && !delivered && isPulseError(error, 'TOKEN_EXPIRED');
              if (!retryable) {
                observer.error(error);
                return;
              }
              const used = options.tokenUsedBy?.(op) ?? sentWith;
              session
                .recoverFromExpired(used)
                .then(async (retry) => {
                  if (closed) return;
                  if (!retry) {
                    observer.error(error);
                    return;
                  }
                  await options.beforeRetry?.(op);
                  if (!closed) await attempt(true);
                })
                .catch(fail);
            },
            complete() {
              observer.complete();
            },
          });
        };

        attempt(false).catch(fail);
        return () => {
          closed = true;
          current?.unsubscribe();
        };
      });
}

function toError(cause: unknown): Error {
  return cause instanceof Error ? cause : new Error(String(cause));
}
