import { recordAudit } from '../../audit/audit.service.js';
import type { UserContext, WorkspaceContext } from '../../auth/caller.js';
import { invalidateTopic } from '../../cached-read.js';
import type { CommerceSettings, SettingsInput } from './commerce.contract.js';
import { revenueOf, type TypeStatsOptions } from './commerce.queries.js';
import { findSettings, saveSettings } from './settings.queries.js';

/** Every cached commerce answer of a workspace lives under this topic. */
export const COMMERCE_CACHE_TOPIC = 'analytics.commerce';
/**
 * Topics whose answers are computed under the settings: commerce analytics, and the insights
 * built on them (revenue insights, and findings, which would otherwise keep serving the old
 * settings' figures for a TTL and, with stale-while-revalidate, a while longer).
 */
const SETTINGS_TOPICS = [COMMERCE_CACHE_TOPIC, 'insights-revenue', 'insights'] as const;

export const DEFAULT_SETTINGS: Omit<CommerceSettings, 'updatedAt'> = {
  pageViewType: 'page_view',
  addToCartType: 'add_to_cart',
  purchaseType: 'purchase',
  priceField: 'price',
  quantityField: 'quantity',
};

export async function getCommerceSettings(ctx: WorkspaceContext): Promise<CommerceSettings> {
  const stored = await findSettings(ctx.scope);
  if (!stored) return { ...DEFAULT_SETTINGS, updatedAt: null };
  return { ...stored, updatedAt: stored.updatedAt?.toISOString() ?? null };
}

/** Replaces the settings; every cached figure computed under the old ones is dropped. */
export async function setCommerceSettings(
  ctx: UserContext,
  input: SettingsInput,
): Promise<CommerceSettings> {
  const updatedAt = await ctx.scope.transaction(async (scope) => {
    const saved = await saveSettings(scope, input, ctx.caller.userId);
    await recordAudit(ctx, scope, {
      actorUserId: ctx.caller.userId,
      action: 'analytics.settings.updated',
      targetType: 'analytics_settings',
      targetId: scope.workspaceId,
      metadata: { ...input },
    });
    return saved;
  });
  await Promise.all(
    SETTINGS_TOPICS.map((topic) => invalidateTopic(ctx, ctx.scope.workspaceId, topic)),
  );
  return { ...input, updatedAt: updatedAt.toISOString() };
}

/**
 * How revenue is computed under the settings. Rollups store price × quantity of the event
 * columns only, so `default` lets them answer; other fields need raw events.
 */
export function revenueSource(settings: CommerceSettings): TypeStatsOptions['revenue'] {
  return settings.priceField === 'price' && settings.quantityField === 'quantity'
    ? 'default'
    : revenueOf(settings.priceField, settings.quantityField);
}
