import type { TrackedEnvelope } from '@trpc/server';
import type { WorkspaceContext } from '../auth/caller.js';
import type { Context } from '../context.js';
import { PulseError } from '../errors.js';
import type {
  EventsFeedInput,
  EventsFeedMessage,
  MetricsFeedInput,
  MetricsFeedMessage,
  OverviewFeedInput,
  OverviewFeedMessage,
  StoredFeedMessage,
} from './live.contract.js';
import { followFeed } from './live.feed.js';
import type { LiveHub } from './live.hub.js';

type Feed<M> = AsyncGenerator<TrackedEnvelope<M>, void>;

/** Ingest batches of the caller's workspace (filtered by type), and admin broadcasts. */
export function followEvents(
  ctx: WorkspaceContext,
  input: EventsFeedInput,
  signal: AbortSignal | undefined,
): Feed<EventsFeedMessage> {
  const types = input?.types ? new Set(input.types) : undefined;
  return followFeed({
    ctx,
    hub: liveHub(ctx),
    workspaceId: ctx.caller.workspaceId,
    feed: 'events',
    lastEventId: input?.lastEventId,
    signal,
    ownsSubscription: true,
    select: (message: StoredFeedMessage): EventsFeedMessage | null => {
      if (message.kind === 'broadcast') return message;
      if (message.kind !== 'events') return null;
      const events = types
        ? message.events.filter((event) => types.has(event.type))
        : message.events;
      return events.length > 0 ? { kind: 'events', events } : null;
    },
  });
}

/** Metric points of the named metrics, and admin broadcasts. */
export function followMetrics(
  ctx: WorkspaceContext,
  input: MetricsFeedInput,
  signal: AbortSignal | undefined,
): Feed<MetricsFeedMessage> {
  const names = new Set(input.names);
  return followFeed({
    ctx,
    hub: liveHub(ctx),
    workspaceId: ctx.caller.workspaceId,
    feed: 'metrics',
    lastEventId: input.lastEventId,
    signal,
    ownsSubscription: true,
    select: (message: StoredFeedMessage): MetricsFeedMessage | null => {
      if (message.kind === 'broadcast') return message;
      if (message.kind !== 'metrics') return null;
      const points = message.points.filter((point) => names.has(point.name));
      return points.length > 0 ? { kind: 'metrics', points } : null;
    },
  });
}

/**
 * The dashboard: a snapshot at once and every `overviewIntervalMs`, plus broadcasts. Snapshots
 * carry the id of the last broadcast sent (they are state, not history: a resuming client
 * gets the broadcasts it missed and the current figures, not every snapshot it missed).
 */
export function followOverview(
  ctx: WorkspaceContext,
  input: OverviewFeedInput,
  signal: AbortSignal | undefined,
): Feed<OverviewFeedMessage> {
  const hub = liveHub(ctx);
  const workspaceId = ctx.caller.workspaceId;
  return followFeed<OverviewFeedMessage>({
    ctx,
    hub,
    workspaceId,
    feed: 'overview',
    lastEventId: input?.lastEventId,
    signal,
    ownsSubscription: true,
    select: (message) => (message.kind === 'broadcast' ? message : null),
    ticks: (push) => hub.overview.watch(workspaceId, push),
  });
}

/** Contexts built for seeding or scripts carry no hub and cannot serve subscriptions. */
export function liveHub(ctx: Pick<Context, 'live'>): LiveHub {
  if (!ctx.live) throw new PulseError('INTERNAL', 'Live feeds are not available on this server');
  return ctx.live;
}
