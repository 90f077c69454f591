import type { WorkspaceScope } from '@pulse/db';

export interface AuditRecord {
  actorUserId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  metadata?: Record<string, unknown>;
  ip?: string;
  requestId?: string;
}

export function insertAuditEntry(scope: WorkspaceScope, entry: AuditRecord) {
  return scope
    .insertInto('audit_log', {
      actor_user_id: entry.actorUserId,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      metadata: JSON.stringify(entry.metadata ?? {}),
      ip: entry.ip ?? null,
      request_id: entry.requestId ?? null,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** Newest first; `beforeId` continues from the previous page. */
export function listAuditEntries(
  scope: WorkspaceScope,
  options: { limit: number; beforeId?: string; action?: string },
) {
  let query = scope
    .selectFrom('audit_log')
    .select([
      'id',
      'actor_user_id',
      'action',
      'target_type',
      'target_id',
      'metadata',
      'ip',
      'request_id',
      'created_at',
    ])
    .orderBy('id', 'desc')
    .limit(options.limit + 1);
  if (options.beforeId) query = query.where('id', '<', options.beforeId);
  if (options.action) query = query.where('action', '=', options.action);
  return query.execute();
}
