import type { TrackedEnvelope } from '@trpc/server';
import type { WorkspaceContext } from '../auth/caller.js';
import type { Insight } from '../insights/insights.contract.js';
import { computeInsights } from '../insights/insights.service.js';
import { REPLAY_TTL_MS } from './live.channels.js';
import type { GapMessage } from './live.contract.js';
import { followFeed } from './live.feed.js';
import type { LiveHub } from './live.hub.js';
import type { InsightsFeedInput, InsightsFeedMessage } from './live.insights.contract.js';
import { publishQuietly } from './live.publisher.js';
import { liveHub } from './live.service.js';
import { StateTickers } from './live.state-tickers.js';

/** What was last published for a workspace, shared by every process through the cache. */
interface PublishedInsights {
  computedAt: number;
  /** id → severity and title: a change of either is news, a moving figure alone is not. */
  fingerprints: Record<string, string>;
  items: Insight[];
}

const stateKey = (workspaceId: string) => `live-insights:${workspaceId}`;
const fingerprint = (insight: Insight) => `${insight.severity}|${insight.title}`;

// Failures of one computation are retried at the next tick; subscribers keep what they have.
const tickersByHub = new WeakMap<LiveHub, StateTickers<Insight[]>>();

function insightTickers(hub: LiveHub): StateTickers<Insight[]> {
  let tickers = tickersByHub.get(hub);
  if (!tickers) {
    tickers = new StateTickers<Insight[]>(hub.settings.insightsIntervalMs, () => undefined);
    tickersByHub.set(hub, tickers);
  }
  return tickers;
}

/**
 * Recomputes the workspace's insights and publishes what is new or changed (and what was
 * resolved) to the insights feed's replay stream. Processes with subscribers of the same
 * workspace share the last published state through the cache: one that finds a computation
 * younger than half an interval reuses it, so the work is not multiplied by processes. The
 * very first computation (no state yet) only sets the baseline: subscribers get it as their
 * snapshot, not again as news.
 */
async function refreshInsights(
  ctx: WorkspaceContext,
  hub: LiveHub,
  local: { state?: PublishedInsights },
) {
  const workspaceId = ctx.scope.workspaceId;
  const cache = ctx.infra.cache;
  const state =
    (await cache.get<PublishedInsights>(stateKey(workspaceId)).catch(() => undefined)) ??
    local.state;
  if (state && Date.now() - state.computedAt < hub.settings.insightsIntervalMs / 2)
    return state.items;
  const { items } = await computeInsights(ctx, '1d');
  const fingerprints = Object.fromEntries(items.map((item) => [item.id, fingerprint(item)]));
  const next: PublishedInsights = { computedAt: Date.now(), fingerprints, items };
  local.state = next;
  await cache.set(stateKey(workspaceId), next, REPLAY_TTL_MS).catch(() => undefined);
  if (!state) return items;
  const changed = items.filter((item) => state.fingerprints[item.id] !== fingerprints[item.id]);
  const resolved = Object.keys(state.fingerprints).filter((id) => !(id in fingerprints));
  if (changed.length > 0 || resolved.length > 0) {
    await publishQuietly(ctx, workspaceId, 'insights', {
      kind: 'insights',
      snapshot: false,
      at: new Date(next.computedAt).toISOString(),
      items: changed,
      resolved,
    });
  }
  return items;
}

/**
 * Insights as they appear: a snapshot of the current ones first (unless resuming), then only
 * new, changed or resolved ones, recomputed every `insightsIntervalMs` while the workspace
 * has subscribers in this process; resumable from the replay stream like the other feeds.
 */
export function followInsights(
  ctx: WorkspaceContext,
  input: InsightsFeedInput,
  signal: AbortSignal | undefined,
): AsyncGenerator<TrackedEnvelope<InsightsFeedMessage | GapMessage>, void> {
  const hub = liveHub(ctx);
  const workspaceId = ctx.scope.workspaceId;
  // Computations outlive this request: no response headers to set from them.
  const computing: WorkspaceContext = { ...ctx, request: { ...ctx.request, setHeader: undefined } };
  const local: { state?: PublishedInsights } = {};
  return followFeed<InsightsFeedMessage>({
    ctx,
    hub,
    workspaceId,
    feed: 'insights',
    lastEventId: input?.lastEventId,
    signal,
    select: (message) =>
      message.kind === 'broadcast' || message.kind === 'insights' ? message : null,
    ticks: (push) => {
      let snapshotSent = input?.lastEventId !== undefined;
      return insightTickers(hub).watch(
        `insights:${workspaceId}`,
        () => refreshInsights(computing, hub, local),
        (items) => {
          if (snapshotSent) return;
          snapshotSent = true;
          push({
            kind: 'insights',
            snapshot: true,
            at: new Date().toISOString(),
            items,
            resolved: [],
          });
        },
      );
    },
  });
}
