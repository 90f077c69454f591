import { isTRPCClientError, type TRPCClientError } from '@trpc/client';
import type { AppRouter, PulseErrorShape } from './generated/app-router.js';

/** Why the server refused a call: `'TOKEN_EXPIRED'`, `'EMAIL_TAKEN'`, `'RATE_LIMITED'`… */
export type PulseErrorCode = PulseErrorShape['data']['domainCode'];

/** An error the Pulse server sent, with its `data` (`domainCode`, `httpStatus`, `issues`…). */
export type PulseError = TRPCClientError<AppRouter> & { readonly data: PulseErrorShape['data'] };

/**
 * Whether `error` is an error the Pulse server sent (optionally: with this `domainCode`).
 * Network failures and other client-side errors are `TRPCClientError`s too, but not Pulse
 * errors: they have no `domainCode`.
 */
export function isPulseError(error: unknown, code?: PulseErrorCode): error is PulseError {
  if (!isTRPCClientError(error)) return false;
  const data: unknown = error.data;
  if (typeof data !== 'object' || data === null) return false;
  const domainCode = (data as { domainCode?: unknown }).domainCode;
  return typeof domainCode === 'string' && (code === undefined || domainCode === code);
}

/** The `domainCode` of a Pulse server error, or `undefined` for anything else. */
export function pulseErrorCode(error: unknown): PulseErrorCode | undefined {
  return isPulseError(error) ? error.data.domainCode : undefined;
}
