import type { PulseDatabase } from '@pulse/db';
import type { TokenService } from './auth/tokens.js';
import type { ApiConfig } from './config.js';
import type { Infra } from './infra/index.js';

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
}

/** The transport-neutral view of one request (HTTP, REST or one WebSocket connection). */
export interface IncomingRequest {
  requestId: string;
  ip: string;
  userAgent?: string;
  /** Bearer token from the Authorization header or the WebSocket's connectionParams. */
  bearerToken?: string;
  /** Absent on WebSocket connections, which have no per-call headers. */
  setHeader?: (name: string, value: string) => void;
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
