import type { WorkspaceScope } from '@pulse/db';
import type { Context } from '../context.js';
import { type AuditRecord, insertAuditEntry } from './audit.queries.js';

/** Records who did what, stamped with the request's IP and id. */
export function recordAudit(
  ctx: Context,
  scope: WorkspaceScope,
  entry: Omit<AuditRecord, 'ip' | 'requestId'>,
) {
  return insertAuditEntry(scope, {
    ...entry,
    ip: ctx.request.ip,
    requestId: ctx.request.requestId,
  });
}
