export {
  type ApiKeyCaller,
  type Caller,
  resolveCaller,
  type UserCaller,
  type UserContext,
  type WorkspaceContext,
} from './auth/caller.js';
export { TokenService } from './auth/tokens.js';
export type { ApiConfig, AuthConfig, RateLimitConfig } from './config.js';
export { TOKEN_AUDIENCE } from './config.js';
export {
  type ApiDeps,
  bearerFromHeader,
  type Context,
  createContextFactory,
  type IncomingRequest,
  type ProcedureObservation,
} from './context.js';
export {
  DOMAIN_ERRORS,
  type DomainErrorCode,
  domainCodeOf,
  httpStatusOf,
  PulseError,
} from './errors.js';
export * from './infra/index.js';
export { buildOpenApiDocument, REST_BASE_PATH } from './openapi.js';
export { type AppRouter, appRouter } from './root.js';
export { createCallerFactory } from './trpc.js';
// Storage entry points used by benchmarks and maintenance jobs, beside the procedures.
export { insertEventBatch, type NewEvent } from './events/events.queries.js';
