import type { PulseDatabase } from '@pulse/db';
import type { TokenService } from './auth/tokens.js';
import type { ApiConfig } from './config.js';
import type { Infra } from './infra/index.js';
import type { LiveHub } from './live/live.hub.js';

/** What a procedure took and how it ended; the server turns it into metrics. */
export interface ProcedureObservation {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  durationMs: number;
  ok: boolean;
  code?: string;
}

/** Long-lived resources shared by every request of one server. */
export interface ApiDeps {
  config: ApiConfig;
  database: PulseDatabase;
  infra: Infra;
  tokens: TokenService;
  version: string;
  startedAt: Date;
  observeProcedure?: (observation: ProcedureObservation) => void;
  /** Live feeds of this process; absent in contexts that serve no subscriptions (seeding). */
  live?: LiveHub;
}

/** A streaming connection's transport, so live feeds can bound what a slow client buffers. */
export interface LiveTransport {
  /** Bytes queued for this client and not yet handed to the network. */
  bufferedBytes(): number;
  /** Drops the connection; the client reconnects and resumes from its last event id. */
  drop(): void;
  /**
   * WebSocket only: the subscription whose start was just sent on this connection, as a
   * writer of its data frames, claimed once and only in the step that sent the start. A feed
   * that gets one delivers live messages from the fan-out itself, one pass over all sockets,
   * instead of waking its generator and tRPC's per-item loop for each subscriber.
   */
  claimStartedSubscription?(): SubscriptionWriter | undefined;
}

/** Writes `tracked(trackedId, data)` of one subscription, as tRPC would have. */
export type SubscriptionWriter = (trackedId: string, data: unknown) => void;

/** The transport-neutral view of one request (HTTP, REST or one WebSocket connection). */
export interface IncomingRequest {
  requestId: string;
  ip: string;
  userAgent?: string;
  /** Bearer token from the Authorization header or the WebSocket's connectionParams. */
  bearerToken?: string;
  /** The client sent `Cache-Control: no-cache`: cached reads compute a fresh answer. */
  revalidate?: boolean;
  /** Absent on WebSocket connections, which have no per-call headers. */
  setHeader?: (name: string, value: string) => void;
  /** The WebSocket or SSE response carrying subscriptions; absent for plain requests. */
  transport?: LiveTransport;
}

export interface Context extends ApiDeps {
  request: IncomingRequest;
}

export function createContextFactory(deps: ApiDeps) {
  return (request: IncomingRequest): Context => ({ ...deps, request });
}

/** Extracts the token from `Authorization: Bearer …`; anything else counts as no token. */
export function bearerFromHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
