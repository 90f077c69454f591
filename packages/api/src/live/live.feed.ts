import { setTimeout as sleep } from 'node:timers/promises';
import { type TrackedEnvelope, tracked } from '@trpc/server';
import type { Context } from '../context.js';
import { compareStreamIds, ZERO_STREAM_ID } from '../infra/stream.js';
import { markSharedFeedValue } from '../wire-encoding.js';
import { feedChannel, feedStreamKey, type LiveFeed } from './live.channels.js';
import type { GapMessage, StoredFeedMessage } from './live.contract.js';
import type { LiveHub } from './live.hub.js';
import { FeedInbox, type IdleDelivery } from './live.inbox.js';

const CATCH_UP_PAGE = 100;
const BACKPRESSURE_POLL_MS = 25;

export interface FollowFeedOptions<T> {
  ctx: Pick<Context, 'infra' | 'request'>;
  hub: LiveHub;
  workspaceId: string;
  feed: LiveFeed;
  lastEventId: string | undefined;
  signal: AbortSignal | undefined;
  /** What this subscriber gets of a stored message; null skips it (filtered out). */
  select: (message: StoredFeedMessage) => T | null;
  /** Local values (overview snapshots) sent between stream messages; only the latest waits. */
  ticks?: (push: (value: T) => void) => () => void;
  /**
   * The generator is the subscription itself (not read by another generator): while it waits,
   * live messages may be written to its connection directly (see `claimStartedSubscription`).
   */
  ownsSubscription?: boolean;
}

/** The client stopped reading and its connection was dropped: end quietly. */
class ConnectionDropped extends Error {}

/**
 * A resumable feed: subscribes to the bus FIRST, then replays the stream after
 * `lastEventId`, then drains live messages, skipping ids it already sent. Each bus message
 * names its predecessor; when that is not the last id sent (a lost, late or reordered
 * message, an inbox overflow), the stream is read instead. No gap, no duplicate; when the
 * stream no longer holds what followed, a `gap` message says so before continuing.
 *
 * Slow clients: with more than `slowConsumerBytes` queued on the connection the feed sends
 * nothing more; still above it after `slowConsumerMs`, the connection is dropped and the
 * client resumes from its last id on reconnect (with a gap message if that fell out).
 */
export async function* followFeed<T>(
  options: FollowFeedOptions<T>,
): AsyncGenerator<TrackedEnvelope<T | GapMessage>, void> {
  const { ctx, hub, workspaceId, feed, signal, select } = options;
  const { stream } = ctx.infra;
  const key = feedStreamKey(workspaceId, feed);
  const transport = ctx.request.transport;
  // Claimed before the first await: only now is the start just sent this subscription's.
  const writeFrame = options.ownsSubscription ? transport?.claimStartedSubscription?.() : undefined;
  let cursor = ZERO_STREAM_ID;
  // Checked before every message; only a backed-up connection pays for the wait.
  const backedUp = () =>
    transport !== undefined && transport.bufferedBytes() > hub.settings.slowConsumerBytes;

  // What the live loop below does for the usual item, done by the fan-out for each waiting
  // subscriber in one pass; anything unusual (a hole, a backed-up client) wakes the loop.
  const deliverWhileIdle: IdleDelivery<T> | undefined =
    writeFrame &&
    ((item) => {
      if (signal?.aborted || backedUp()) return false;
      if (item.kind === 'tick') {
        writeFrame(cursor, markSharedFeedValue(item.value));
        return true;
      }
      const { notice } = item;
      if ((notice.previousId ?? ZERO_STREAM_ID) !== cursor) return false;
      cursor = notice.id;
      const value = select(notice.message);
      if (value === null) return true;
      writeFrame(cursor, markSharedFeedValue(sharedIfSame(value, notice.message)));
      hub.countFrameWrittenByFanout();
      return true;
    });
  const inbox = new FeedInbox<T>(deliverWhileIdle);

  const unsubscribe = await hub.fanout.subscribe(feedChannel(workspaceId, feed), (notice) =>
    inbox.pushNotice(notice),
  );
  let release: (() => void) | undefined;
  let stopTicks: (() => void) | undefined;

  const writable = async (): Promise<void> => {
    const { slowConsumerBytes, slowConsumerMs } = hub.settings;
    if (!transport || transport.bufferedBytes() <= slowConsumerBytes) return;
    const since = Date.now();
    while (transport.bufferedBytes() > slowConsumerBytes) {
      if (Date.now() - since >= slowConsumerMs) {
        hub.reportSlowConsumer({ feed, workspaceId, bufferedBytes: transport.bufferedBytes() });
        transport.drop();
        throw new ConnectionDropped();
      }
      await sleep(BACKPRESSURE_POLL_MS, undefined, { signal });
    }
  };

  async function* catchUp(from: string): AsyncGenerator<TrackedEnvelope<T | GapMessage>, string> {
    let cursor = from;
    for (;;) {
      const page = await stream.read(key, cursor, CATCH_UP_PAGE);
      if (page.truncated) {
        await writable();
        yield tracked(cursor, gapAfter(cursor, hub.settings.replayLength));
      }
      for (const entry of page.entries) {
        cursor = entry.id;
        const value = select(entry.data as StoredFeedMessage);
        if (value === null) continue;
        await writable();
        yield tracked(entry.id, markSharedFeedValue(value));
      }
      if (page.entries.length < CATCH_UP_PAGE) return cursor;
    }
  }

  try {
    cursor = options.lastEventId ?? (await stream.read(key, null, 0)).lastId ?? ZERO_STREAM_ID;
    // Counted once its position is fixed: from here on, whatever is published reaches it.
    release = hub.connections.track(workspaceId, feed);
    stopTicks = options.ticks?.((value) => inbox.setTick(value));
    if (options.lastEventId !== undefined) cursor = yield* catchUp(cursor);
    for (;;) {
      // A thousand subscribers wake for each message: no promise when one is waiting.
      const item = signal?.aborted ? undefined : (inbox.take() ?? (await inbox.next(signal)));
      if (!item) return;
      if (item.kind === 'tick') {
        if (backedUp()) await writable();
        yield tracked(cursor, markSharedFeedValue(item.value));
      } else if (item.kind === 'overflow') {
        cursor = yield* catchUp(cursor);
      } else if ((item.notice.previousId ?? ZERO_STREAM_ID) === cursor) {
        // The usual case: the entry right after the last one sent (ids only grow).
        cursor = item.notice.id;
        const value = select(item.notice.message);
        if (value === null) continue;
        if (backedUp()) await writable();
        yield tracked(cursor, markSharedFeedValue(sharedIfSame(value, item.notice.message)));
      } else if (compareStreamIds(item.notice.id, cursor) > 0) {
        cursor = yield* catchUp(cursor);
      }
      // else: already sent, from the stream
    }
  } catch (error) {
    if (error instanceof ConnectionDropped || signal?.aborted) return;
    throw error;
  } finally {
    stopTicks?.();
    release?.();
    await unsubscribe().catch(() => undefined);
  }
}

/**
 * The stored message itself when `value` has the same fields (e.g. an unfiltered events feed
 * rewrapping the same array): every subscriber then yields one object, turned into JSON once.
 */
function sharedIfSame<T>(value: T, message: StoredFeedMessage): T {
  if (typeof value !== 'object' || value === null || (value as unknown) === message) return value;
  const fields = Object.keys(value);
  if (fields.length !== Object.keys(message).length) return value;
  for (const field of fields) {
    if ((value as Record<string, unknown>)[field] !== (message as Record<string, unknown>)[field])
      return value;
  }
  return message as T;
}

function gapAfter(lastEventId: string, replayLength: number): GapMessage {
  return {
    kind: 'gap',
    lastEventId,
    message: `Messages after ${lastEventId} are no longer in the replay buffer (it keeps the latest ${replayLength} per feed, for up to a day); continuing with the oldest one still held`,
  };
}
