import { type TrackedEnvelope, tracked } from '@trpc/server';
import type { WorkspaceContext } from '../auth/caller.js';
import { type SpaceActivityMessage, spaceActivityChannel } from '../spaces/spaces.activity.js';
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
  TowerLocalMessage,
} from './live.tower.contract.js';
import { computeTowerState, type TowerState, towerChanges } from './live.tower.state.js';

// Announcements a subscriber holds while its client is busy; older ones are dropped first.
const LOCAL_LIMIT = 256;

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

/** Tells the feed loop that local messages wait; the loop drains them. */
const LOCAL_READY = { kind: 'local' } as const;
type Local = typeof LOCAL_READY;

/**
 * The building live: assistant answers and broadcasts from the replay stream (resumable),
 * check-ins and other announcements from the spaces writes as they happen, and room activity
 * and gathering starts from the tower state recomputed every `overviewIntervalMs`. Local
 * messages carry the id of the last stream message, like overview snapshots.
 */
export async function* followTower(
  ctx: WorkspaceContext,
  input: TowerFeedInput,
  signal: AbortSignal | undefined,
): AsyncGenerator<TrackedEnvelope<TowerFeedMessage | GapMessage>, void> {
  const hub = liveHub(ctx);
  const workspaceId = ctx.scope.workspaceId;
  const pending: TowerLocalMessage[] = [];
  let latest: TowerState | undefined;
  let sent: TowerState | undefined;

  const ticks = (push: (value: Local) => void) => {
    const stopState = stateTickersOf<TowerState>(hub).watch(
      `tower:${workspaceId}`,
      () => computeTowerState(ctx.scope, new Date()),
      (state) => {
        latest = state;
        push(LOCAL_READY);
      },
    );
    const unsubscribe = hub.fanout.subscribe(spaceActivityChannel(workspaceId), (message) => {
      const { activity } = message as SpaceActivityMessage;
      if (pending.length >= LOCAL_LIMIT) pending.shift();
      pending.push({ kind: 'tower', type: activity.kind, activity: { ...activity } });
      push(LOCAL_READY);
    });
    return () => {
      stopState();
      void unsubscribe.then((stop) => stop()).catch(() => undefined);
    };
  };

  const feed = followFeed<TowerFeedMessage | Local>({
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
    const messages = pending.splice(0, pending.length);
    if (latest && latest !== sent) {
      messages.push(...towerChanges(sent, latest));
      sent = latest;
    }
    for (const message of messages) yield tracked(id, message);
  }
}
