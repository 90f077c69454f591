export { TRPCClientError } from '@trpc/client';
export type { ReconnectOptions } from './backoff.js';
export {
  createPulseClient,
  type EventSourceConstructor,
  type PulseClient,
  type PulseClientOptions,
  type RouterInputs,
  type RouterOutputs,
  type WebSocketConstructor,
} from './client.js';
export { isPulseError, type PulseError, type PulseErrorCode, pulseErrorCode } from './errors.js';
export type { AppRouter, PulseErrorShape } from './generated/app-router.js';
export { decodeJwtPayload, jwtExpiresAt } from './jwt.js';
export type { AuthSession, PulseTokens, PulseTokensInput } from './session.js';
