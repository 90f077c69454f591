import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

/**
 * Every error Pulse means to send, mapped once to a tRPC code (and through it to an HTTP
 * status). Clients branch on `domainCode`; the tRPC code/HTTP status stay coarse.
 */
export const DOMAIN_ERRORS = {
  VALIDATION_FAILED: 'BAD_REQUEST',
  INVITE_INVALID: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  INVALID_CREDENTIALS: 'UNAUTHORIZED',
  TOKEN_EXPIRED: 'UNAUTHORIZED',
  TOKEN_INVALID: 'UNAUTHORIZED',
  TOKEN_REUSED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  PASSWORD_INCORRECT: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  EMAIL_TAKEN: 'CONFLICT',
  WORKSPACE_AMBIGUOUS: 'CONFLICT',
  LAST_OWNER: 'CONFLICT',
  /** The row would repeat one that must be unique (a floor number, a member's profile). */
  ALREADY_EXISTS: 'CONFLICT',
  /** A room booking overlapping another one of the same room. */
  SLOT_TAKEN: 'CONFLICT',
  /** A gathering (or room) has no place left for another attendee. */
  CAPACITY_REACHED: 'CONFLICT',
  /** A write kept losing to concurrent ones (deadlocks) and was rolled back: nothing changed. */
  CONCURRENT_WRITE: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  /** An outside service we depend on (a language model) answered with an error or garbage. */
  UPSTREAM_FAILED: 'BAD_GATEWAY',
  /** An outside service did not answer within its time limit. */
  UPSTREAM_TIMEOUT: 'GATEWAY_TIMEOUT',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<string, TRPC_ERROR_CODE_KEY>;

export type DomainErrorCode = keyof typeof DOMAIN_ERRORS;

export interface FieldIssue {
  /** Dotted path of the failing field, e.g. `events.3.timestamp`; empty for the whole input. */
  path: string;
  message: string;
}

export class PulseError extends TRPCError {
  readonly domainCode: DomainErrorCode;
  readonly issues: FieldIssue[];

  constructor(
    domainCode: DomainErrorCode,
    message: string,
    options: { field?: string; issues?: FieldIssue[]; cause?: unknown } = {},
  ) {
    super({ code: DOMAIN_ERRORS[domainCode], message, cause: options.cause });
    // Keep name 'TRPCError': adapters (trpc-to-openapi) recognise tRPC errors by name.
    this.domainCode = domainCode;
    this.issues = options.issues ?? (options.field ? [{ path: options.field, message }] : []);
  }
}

/** The domain code for any error leaving a procedure, including tRPC's own. */
export function domainCodeOf(error: TRPCError): DomainErrorCode {
  if (error instanceof PulseError) return error.domainCode;
  switch (error.code) {
    case 'BAD_REQUEST':
    case 'PARSE_ERROR':
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'VALIDATION_FAILED';
    case 'UNAUTHORIZED':
      return 'UNAUTHENTICATED';
    case 'FORBIDDEN':
      return 'FORBIDDEN';
    case 'NOT_FOUND':
      return 'NOT_FOUND';
    case 'PAYLOAD_TOO_LARGE':
      return 'PAYLOAD_TOO_LARGE';
    case 'TOO_MANY_REQUESTS':
      return 'RATE_LIMITED';
    default:
      return 'INTERNAL';
  }
}

export function httpStatusOf(error: TRPCError): number {
  return getHTTPStatusCodeFromError(error);
}
