import { recordAudit } from '../audit/audit.service.js';
import type { UserContext } from '../auth/caller.js';
import { PulseError } from '../errors.js';
import { apiKeyCacheKey, generateApiKey } from './api-keys.auth.js';
import type { ApiKeyDto, CreateApiKeyInput } from './api-keys.contract.js';
import { insertApiKey, listApiKeys, revokeApiKey } from './api-keys.queries.js';

export async function createApiKey(ctx: UserContext, input: CreateApiKeyInput) {
  const { key, prefix, keyHash } = generateApiKey();
  const row = await ctx.scope.transaction(async (tx) => {
    const inserted = await insertApiKey(tx, {
      name: input.name,
      scope: input.scope,
      prefix,
      keyHash,
      createdBy: ctx.caller.userId,
    });
    await recordAudit(ctx, tx, {
      actorUserId: ctx.caller.userId,
      action: 'api_key.created',
      targetType: 'api_key',
      targetId: inserted.id,
      metadata: { name: input.name, scope: input.scope, prefix },
    });
    return inserted;
  });
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    prefix: row.prefix,
    createdBy: ctx.caller.userId,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: null,
    revokedAt: null,
    key,
  };
}

export async function listKeys(
  ctx: UserContext,
): Promise<{ items: ApiKeyDto[]; nextCursor: null }> {
  const rows = await listApiKeys(ctx.scope);
  return {
    items: rows.map((row) => ({
      id: row.id,
      name: row.name,
      scope: row.scope,
      prefix: row.prefix,
      createdBy: row.created_by,
      createdAt: row.created_at.toISOString(),
      lastUsedAt: row.last_used_at?.toISOString() ?? null,
      revokedAt: row.revoked_at?.toISOString() ?? null,
    })),
    nextCursor: null,
  };
}

export async function revokeKey(ctx: UserContext, id: string): Promise<{ success: true }> {
  await ctx.scope.transaction(async (tx) => {
    const revoked = await revokeApiKey(tx, id);
    if (!revoked)
      throw new PulseError('NOT_FOUND', 'No API key with this id in your workspace', {
        field: 'id',
      });
    await recordAudit(ctx, tx, {
      actorUserId: ctx.caller.userId,
      action: 'api_key.revoked',
      targetType: 'api_key',
      targetId: id,
    });
    await ctx.infra.cache.delete(apiKeyCacheKey(revoked.prefix));
  });
  return { success: true };
}
