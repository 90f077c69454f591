import { setTimeout as sleep } from 'node:timers/promises';
import { type TrackedEnvelope, tracked } from '@trpc/server';
import type { Context } from '../context.js';
import { compareStreamIds, isStreamId, ZERO_STREAM_ID } from '../infra/stream.js';
import { markSharedFeedValue } from '../wire-encoding.js';
import { feedChannel, feedStreamKey, type LiveFeed } from './live.channels.js';
import type { GapMessage, StoredFeedMessage } from './live.contract.js';
import type { LiveHub } from './live.hub.js';
import type { FeedNotice } from './live.publisher.js';

// Bus messages a subscription holds while its client is busy; beyond that it drops them and
// re-reads the replay stream once the client catches up, so memory stays bounded.
const INBOX_LIMIT = 256;
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
  const inbox = new FeedInbox<T>();

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
    let cursor = options.lastEventId ?? (await stream.read(key, null, 0)).lastId ?? ZERO_STREAM_ID;
    // Counted once its position is fixed: from here on, whatever is published reaches it.
    release = hub.connections.track(workspaceId, feed);
    stopTicks = options.ticks?.((value) => inbox.setTick(value));
    if (options.lastEventId !== undefined) cursor = yield* catchUp(cursor);
    for (;;) {
      const item = await inbox.next(signal);
      if (!item) return;
      if (item.kind === 'tick') {
        await writable();
        yield tracked(cursor, markSharedFeedValue(item.value));
      } else if (item.kind === 'overflow') {
        cursor = yield* catchUp(cursor);
      } else if (compareStreamIds(item.notice.id, cursor) <= 0) {
        // already sent, from the stream
      } else if ((item.notice.previousId ?? ZERO_STREAM_ID) !== cursor) {
        cursor = yield* catchUp(cursor);
      } else {
        cursor = item.notice.id;
        const value = select(item.notice.message);
        if (value === null) continue;
        await writable();
        yield tracked(cursor, markSharedFeedValue(value));
      }
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

function gapAfter(lastEventId: string, replayLength: number): GapMessage {
  return {
    kind: 'gap',
    lastEventId,
    message: `Messages after ${lastEventId} are no longer in the replay buffer (it keeps the latest ${replayLength} per feed, for up to a day); continuing with the oldest one still held`,
  };
}

type InboxItem<T> =
  | { kind: 'notice'; notice: FeedNotice }
  | { kind: 'tick'; value: T }
  | { kind: 'overflow' };

/** Bounded: at most INBOX_LIMIT notices and one tick; an overflow is remembered, not queued. */
class FeedInbox<T> {
  #notices: FeedNotice[] = [];
  #overflowed = false;
  #tick: { value: T } | undefined;
  #wake: (() => void) | undefined;

  pushNotice(message: unknown): void {
    if (!isNotice(message) || this.#overflowed) return;
    if (this.#notices.length >= INBOX_LIMIT) {
      this.#notices = [];
      this.#overflowed = true;
    } else {
      this.#notices.push(message);
    }
    this.#wake?.();
  }

  setTick(value: T): void {
    this.#tick = { value };
    this.#wake?.();
  }

  /** The next item, or undefined once `signal` aborts. */
  async next(signal: AbortSignal | undefined): Promise<InboxItem<T> | undefined> {
    for (;;) {
      if (signal?.aborted) return undefined;
      const item = this.#take();
      if (item) return item;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal?.removeEventListener('abort', done);
          this.#wake = undefined;
          resolve();
        };
        this.#wake = done;
        signal?.addEventListener('abort', done);
      });
    }
  }

  #take(): InboxItem<T> | undefined {
    if (this.#tick) {
      const { value } = this.#tick;
      this.#tick = undefined;
      return { kind: 'tick', value };
    }
    if (this.#overflowed) {
      this.#overflowed = false;
      return { kind: 'overflow' };
    }
    const notice = this.#notices.shift();
    return notice && { kind: 'notice', notice };
  }
}

function isNotice(message: unknown): message is FeedNotice {
  const notice = message as Partial<FeedNotice> | null;
  return (
    typeof notice?.id === 'string' &&
    isStreamId(notice.id) &&
    (notice.previousId === null ||
      (typeof notice.previousId === 'string' && isStreamId(notice.previousId))) &&
    typeof notice.message === 'object' &&
    notice.message !== null
  );
}
