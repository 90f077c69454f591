import type { Context } from '../context.js';
import type { EventDto } from '../events/events.contract.js';
import {
  DEFAULT_LIVE_SETTINGS,
  feedChannel,
  feedStreamKey,
  LIVE_FEEDS,
  type LiveFeed,
  REPLAY_TTL_MS,
} from './live.channels.js';
import type { BroadcastMessage, LiveMetricPoint, StoredFeedMessage } from './live.contract.js';

/** What publishing needs from a request context (any context of the server will do). */
export type PublishContext = Pick<Context, 'infra' | 'live'>;

/**
 * The bus message announcing a stream entry. `previousId` lets a subscriber check that it
 * holds every entry before this one; when it does not (a lost or reordered message, a
 * second publishing process), it reads the stream instead, so nothing is skipped.
 */
export interface FeedNotice {
  id: string;
  previousId: string | null;
  message: StoredFeedMessage;
}

/**
 * What the bus carries instead of a FeedNotice when the message is bulky: the stream entry's
 * name. Every process with subscribers reads it from the stream once (see FeedFanout), rather
 * than the publisher serialising a 1,000-event batch twice and the bus copying it to every
 * process, subscribers or not.
 */
export interface FeedReference {
  id: string;
  previousId: string | null;
  stream: string;
}

// Items (events, points) up to which a message travels inline: a dashboard's trickle of
// single events keeps its one-hop latency.
const INLINE_ITEMS = 64;

/**
 * Hands one stored ingest batch to the events feed: ONE stream entry and ONE bus message per
 * call, whatever the batch size. Call after the ingest transaction committed. Never throws: a
 * failure is logged and counted, and the ingest it follows still succeeds.
 */
export async function publishEvents(
  ctx: PublishContext,
  workspaceId: string,
  events: EventDto[],
): Promise<void> {
  if (events.length === 0) return;
  await publishQuietly(ctx, workspaceId, 'events', { kind: 'events', events });
}

/** The metrics twin of publishEvents: one entry and one bus message per stored batch. */
export async function publishMetricPoints(
  ctx: PublishContext,
  workspaceId: string,
  points: LiveMetricPoint[],
): Promise<void> {
  if (points.length === 0) return;
  await publishQuietly(ctx, workspaceId, 'metrics', { kind: 'metrics', points });
}

/** An admin's message on every feed of the workspace. Throws: the admin should know. */
export async function publishBroadcast(
  ctx: PublishContext,
  workspaceId: string,
  message: BroadcastMessage,
): Promise<void> {
  await Promise.all(LIVE_FEEDS.map((feed) => publishToFeed(ctx, workspaceId, feed, message)));
}

export async function publishQuietly(
  ctx: PublishContext,
  workspaceId: string,
  feed: LiveFeed,
  message: StoredFeedMessage,
): Promise<void> {
  try {
    await publishToFeed(ctx, workspaceId, feed, message);
  } catch (error) {
    if (ctx.live) ctx.live.reportPublishFailure(error, { feed, workspaceId });
    else console.error(`[pulse] live ${feed} publish for workspace ${workspaceId} failed`, error);
  }
}

/** Stream first, then bus: a subscriber told about an entry can always read it. */
async function publishToFeed(
  ctx: PublishContext,
  workspaceId: string,
  feed: LiveFeed,
  message: StoredFeedMessage,
): Promise<void> {
  const settings = ctx.live?.settings ?? DEFAULT_LIVE_SETTINGS;
  const stream = feedStreamKey(workspaceId, feed);
  const appended = await ctx.infra.stream.append(stream, message, {
    maxLength: settings.replayLength,
    ttlMs: REPLAY_TTL_MS,
  });
  const notice: FeedNotice | FeedReference =
    itemCount(message) > INLINE_ITEMS ? { ...appended, stream } : { ...appended, message };
  await ctx.infra.bus.publish(feedChannel(workspaceId, feed), notice);
}

function itemCount(message: StoredFeedMessage): number {
  if (message.kind === 'events') return message.events.length;
  if (message.kind === 'metrics') return message.points.length;
  return 0;
}
