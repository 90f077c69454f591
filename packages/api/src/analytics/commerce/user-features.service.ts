import type { WorkspaceContext } from '../../auth/caller.js';
import { cachedRead } from '../../cached-read.js';
import { PulseError } from '../../errors.js';
import type { UserFeaturesOutput } from './commerce.contract.js';
import { revenueExpression } from './commerce.queries.js';
import { type Sketch, shareAtLeast, shareAtMost } from './purchaser-sketch.js';
import { COMMERCE_CACHE_TOPIC, getCommerceSettings, revenueSource } from './settings.service.js';
import { DISTRIBUTION_QUANTILES, purchaserSketch, userActivity } from './user-features.queries.js';

const DAY_MS = 86_400_000;
/** Features move slowly, and the distribution reads every purchase of the workspace. */
const USER_FEATURES_TTL_SECONDS = 120;
/**
 * The distribution reads every purchase of the workspace, so it is one shared aggregate for
 * all users, refreshed at most this often (a client's no-cache refreshes the user's figures).
 */
const DISTRIBUTION_TTL_SECONDS = 300;

/**
 * RFM over purchases (recency since the last one, their number, their revenue) and activity
 * over all of the user's events; the active span is first to last event, at least one day,
 * so a user seen on one day has events per day = events.
 */
export function computeUserFeatures(
  ctx: WorkspaceContext,
  userId: string,
): Promise<UserFeaturesOutput> {
  return cachedRead(ctx, {
    topic: COMMERCE_CACHE_TOPIC,
    parts: ['userFeatures', userId],
    ttlSeconds: USER_FEATURES_TTL_SECONDS,
    compute: () => userFeatures(ctx, userId, new Date()),
  });
}

async function userFeatures(
  ctx: WorkspaceContext,
  userId: string,
  asOf: Date,
): Promise<UserFeaturesOutput> {
  const settings = await getCommerceSettings(ctx);
  const revenue = revenueExpression(revenueSource(settings));
  const purchase = settings.purchaseType;
  const activity = await userActivity(ctx.scope, userId, purchase, revenue);
  if (!activity?.first_seen || !activity.last_seen) {
    throw new PulseError('NOT_FOUND', `No events of user ${userId} in this workspace`, {
      field: 'userId',
    });
  }
  const source = revenueSource(settings);
  const { value: distribution, computedAt } = await cachedRead(ctx, {
    topic: COMMERCE_CACHE_TOPIC,
    parts: ['purchaserSketch', purchase, JSON.stringify(source)],
    ttlSeconds: DISTRIBUTION_TTL_SECONDS,
    sharedAggregate: true,
    compute: async () => ({
      value: await purchaserSketch(ctx.scope, purchase, revenue),
      computedAt: new Date().toISOString(),
    }),
  });
  const first = new Date(activity.first_seen);
  const last = new Date(activity.last_seen);
  const events = Number(activity.events);
  const orders = Number(activity.orders);
  const monetary = Number(activity.monetary);
  const lastPurchase = activity.last_purchase ? new Date(activity.last_purchase) : null;
  const activeSpanDays = Math.max(1, (last.getTime() - first.getTime()) / DAY_MS);
  const sketchOf = (values: number[]): Sketch => ({
    exact: distribution.exact,
    values,
    count: distribution.purchasers,
  });
  const none = distribution.purchasers === 0;
  // Recency runs against last purchase: recency(q) = asOf − lastPurchase(1 − q), in days.
  const recencyQuantiles = distribution.lastPurchaseQuantiles.map((at) =>
    Math.max(0, (asOf.getTime() - at) / DAY_MS),
  );
  return {
    userId,
    asOf: asOf.toISOString(),
    firstSeenAt: first.toISOString(),
    lastSeenAt: last.toISOString(),
    events,
    recencyDays: lastPurchase
      ? Math.max(0, (asOf.getTime() - lastPurchase.getTime()) / DAY_MS)
      : null,
    frequency: orders,
    monetary,
    averageOrderValue: orders === 0 ? null : monetary / orders,
    distinctProducts: Number(activity.products),
    preferredHour: Number(activity.preferred_hour),
    activeSpanDays,
    eventsPerDay: events / activeSpanDays,
    distribution: {
      purchasers: distribution.purchasers,
      computedAt,
      exact: distribution.exact,
      recencyDays: metric(
        none,
        recencyQuantiles,
        lastPurchase
          ? shareAtLeast(sketchOf(distribution.lastPurchase), lastPurchase.getTime())
          : null,
      ),
      frequency: metric(
        none,
        distribution.frequencyQuantiles,
        none ? null : shareAtMost(sketchOf(distribution.frequency), orders),
      ),
      monetary: metric(
        none,
        distribution.monetaryQuantiles,
        none ? null : shareAtMost(sketchOf(distribution.monetary), monetary),
      ),
    },
  };
}

function metric(none: boolean, quantiles: number[], rank: number | null) {
  return {
    percentiles: none
      ? null
      : (Object.fromEntries(
          DISTRIBUTION_QUANTILES.map((q, i) => [`p${Math.round(q * 100)}`, quantiles[i] ?? 0]),
        ) as { p25: number; p50: number; p75: number; p90: number }),
    rank,
  };
}
