import type { ApiDeps } from '../context.js';
import type { Health } from './system.contract.js';

/** Liveness only: answers without touching the database (readiness lives at /healthz). */
export function health(deps: Pick<ApiDeps, 'version' | 'startedAt'>): Health {
  return {
    status: 'ok',
    version: deps.version,
    startedAt: deps.startedAt.toISOString(),
    uptimeSeconds: Math.round((Date.now() - deps.startedAt.getTime()) / 1000),
  };
}
