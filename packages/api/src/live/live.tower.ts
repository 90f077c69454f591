import { type TrackedEnvelope, tracked } from '@trpc/server';
import type { WorkspaceContext } from '../auth/caller.js';
import type { GapMessage } from './live.contract.js';
import { followFeed } from './live.feed.js';
import type { LiveHub } from './live.hub.js';
import { type PublishContext, publishQuietly } from './live.publisher.js';
import { liveHub } from './live.service.js';
import { StateTickers } from './live.state-tickers.js';
import type {
  BotResponseMessage,
  TowerFeedInput,
  TowerFeedMessage,
} from './live.tower.contract.js';
import { computeTowerState, type TowerState, towerChanges } from './live.tower.state.js';

/** A stored tower message (an assistant answer): replayed to clients that resume. */
export async function publishTowerMessage(
  ctx: PublishContext,
  workspaceId: string,
  message: Omit<BotResponseMessage, 'kind' | 'at'>,
): Promise<void> {
  const stored: BotResponseMessage = { kind: 'tower', ...message, at: new Date().toISOString() };
  await publishQuietly(ctx, workspaceId, 'tower', stored);
}

const tickersByHub = new WeakMap<LiveHub, StateTickers<unknown>>();

/** One set of state tickers per hub (so per server), created on first use. */
export function stateTickersOf<V>(hub: LiveHub): StateTickers<V> {
  let tickers = tickersByHub.get(hub);
  if (!tickers) {
    tickers = new StateTickers<unknown>(hub.settings.overviewIntervalMs, (error, key) =>
      // The feed keeps its last state and tries again on the next tick.
      console.error(`[pulse] live state ${key} could not be computed`, error),
    );
    tickersByHub.set(hub, tickers);
  }
  return tickers as StateTickers<V>;
}

/** Tells the feed loop that the tower state changed; the loop sends what changed. */
const STATE_READY = { kind: 'local' } as const;
type StateReady = typeof STATE_READY;

/**
 * The building live: assistant answers, the spaces writes' announcements (check-ins, RSVPs,
 * bookings…) and broadcasts from the replay stream (resumable), and room activity and gathering
 * starts from the tower state recomputed every `overviewIntervalMs` (a resuming client gets
 * the current state). State messages carry the id of the last stream message, like overview
 * snapshots.
 */
export async function* followTower(
  ctx: WorkspaceContext,
  input: TowerFeedInput,
  signal: AbortSignal | undefined,
): AsyncGenerator<TrackedEnvelope<TowerFeedMessage | GapMessage>, void> {
  const hub = liveHub(ctx);
  const workspaceId = ctx.scope.workspaceId;
  let latest: TowerState | undefined;
  let sent: TowerState | undefined;

  const ticks = (push: (value: StateReady) => void) =>
    stateTickersOf<TowerState>(hub).watch(
      `tower:${workspaceId}`,
      () => computeTowerState(ctx.scope, new Date()),
      (state) => {
        latest = state;
        push(STATE_READY);
      },
    );

  const feed = followFeed<TowerFeedMessage | StateReady>({
    ctx,
    hub,
    workspaceId,
    feed: 'tower',
    lastEventId: input?.lastEventId,
    signal,
    select: (message) =>
      message.kind === 'tower' || message.kind === 'broadcast' ? message : null,
    ticks,
  });
  for await (const [id, value] of feed) {
    if (value.kind !== 'local') {
      yield tracked(id, value);
      continue;
    }
    if (!latest || latest === sent) continue;
    const changes = towerChanges(sent, latest);
    sent = latest;
    for (const message of changes) yield tracked(id, message);
  }
}
