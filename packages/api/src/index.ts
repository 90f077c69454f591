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
  type LiveTransport,
  type ProcedureObservation,
  type SubscriptionWriter,
} from './context.js';
export {
  DOMAIN_ERRORS,
  type DomainErrorCode,
  domainCodeOf,
  httpStatusOf,
  PulseError,
} from './errors.js';
// Storage entry points used by benchmarks and maintenance jobs, beside the procedures.
export { insertEventBatch, type NewEvent, storeEventBatch } from './events/events.queries.js';
export { type RollupOptions, recomputeEventRollups } from './events/events.rollups.js';
export { createHistoryRetentionJob } from './history/history.retention.js';
export * from './infra/index.js';
export * from './jobs/index.js';
export {
  DEFAULT_LIVE_SETTINGS,
  LIVE_FEEDS,
  type LiveFeed,
  type LiveSettings,
} from './live/live.channels.js';
export type * from './live/live.contract.js';
export { LiveHub, type LiveHubOptions, type LiveLog, type LiveStats } from './live/live.hub.js';
export { publishEvents, publishMetricPoints } from './live/live.publisher.js';
export { LATEST_CACHE_TTL_MS, latestMetricCacheKey } from './metrics/metrics.latest.js';
export {
  type MetricRollupOptions,
  recomputeMetricRollups,
} from './metrics/metrics.rollups.js';
export { buildOpenApiDocument, REST_BASE_PATH } from './openapi.js';
export { type AppRouter, appRouter } from './root.js';
export type { SpaceActivity } from './spaces/spaces.activity.js';
export * from './spaces/spaces.bulk.queries.js';
export { type Place, type SpaceEventFacts, spaceEvent } from './spaces/spaces.events.js';
export { createCallerFactory } from './trpc.js';
export {
  encodeSubscriptionData,
  markSharedFeedValue,
  type SubscriptionAddress,
  subscriptionStartedBy,
  wireTransformer,
  wireWebSocketEncoder,
} from './wire-encoding.js';
