import type { Bus, BusHandler } from '../infra/bus.js';
import { isStreamId, type Stream, ZERO_STREAM_ID } from '../infra/stream.js';
import type { FeedNotice, FeedReference } from './live.publisher.js';

interface Local {
  handlers: Set<BusHandler>;
  /** Messages waiting behind a reference being read, so handlers see the bus's order. */
  queued: number;
  tail: Promise<void>;
}

interface Channel extends Local {
  /** The one bus subscription for this channel in this process. */
  subscribed: Promise<() => Promise<void>>;
}

/**
 * One bus subscription per feed channel per process, fanned out to its local subscribers.
 * The bus parses a message once per handler; an ingest batch is up to ~1 MB of JSON, so a
 * thousand dashboards of one workspace would parse it a thousand times. Here it is parsed
 * once and shared: subscribers must treat messages as read-only.
 *
 * A bulky feed message arrives as a FeedReference (see live.publisher.ts): it is read from
 * the replay stream once per process and handed on as the FeedNotice it stands for. When
 * that read fails or the entry is already gone, subscribers are not told; the next notice
 * then does not follow their last id, and they catch up from the stream (no gap, no loss).
 */
export class FeedFanout {
  readonly #bus: Bus;
  readonly #stream: Stream;
  readonly #channels = new Map<string, Channel>();

  constructor(bus: Bus, stream: Stream) {
    this.#bus = bus;
    this.#stream = stream;
  }

  /** Resolves once messages flow; the returned function unsubscribes. */
  async subscribe(name: string, handler: BusHandler): Promise<() => Promise<void>> {
    let channel = this.#channels.get(name);
    if (!channel) {
      const local: Local = { handlers: new Set<BusHandler>(), queued: 0, tail: Promise.resolve() };
      const created: Channel = Object.assign(local, {
        subscribed: this.#bus.subscribe(name, (message) => this.#deliver(local, message)),
      });
      created.subscribed.catch(() => {
        if (this.#channels.get(name) === created) this.#channels.delete(name);
      });
      channel = created;
      this.#channels.set(name, channel);
    }
    const own = channel;
    own.handlers.add(handler);
    try {
      await own.subscribed;
    } catch (error) {
      own.handlers.delete(handler);
      throw error;
    }
    return async () => {
      if (!own.handlers.delete(handler) || own.handlers.size > 0) return;
      if (this.#channels.get(name) === own) this.#channels.delete(name);
      const unsubscribe = await own.subscribed;
      await unsubscribe();
    };
  }

  #deliver(channel: Local, message: unknown): void {
    if (channel.queued === 0 && !isFeedReference(message)) {
      dispatch(channel, message);
      return;
    }
    channel.queued += 1;
    channel.tail = channel.tail.then(async () => {
      try {
        const resolved = isFeedReference(message) ? await this.#read(message) : message;
        if (resolved !== undefined) dispatch(channel, resolved);
      } catch {
        // Unread: subscribers notice the hole at the next message and catch up (see above).
      } finally {
        channel.queued -= 1;
      }
    });
  }

  async #read(reference: FeedReference): Promise<FeedNotice | undefined> {
    const after = reference.previousId ?? ZERO_STREAM_ID;
    const [entry] = (await this.#stream.read(reference.stream, after, 1)).entries;
    if (entry?.id !== reference.id) return undefined;
    return {
      id: reference.id,
      previousId: reference.previousId,
      message: entry.data as FeedNotice['message'],
    };
  }
}

function dispatch(channel: Local, message: unknown): void {
  for (const local of [...channel.handlers]) local(message);
}

function isFeedReference(message: unknown): message is FeedReference {
  const reference = message as Partial<FeedReference> & { message?: unknown };
  return (
    typeof reference?.stream === 'string' &&
    reference.message === undefined &&
    typeof reference.id === 'string' &&
    isStreamId(reference.id) &&
    (reference.previousId === null ||
      (typeof reference.previousId === 'string' && isStreamId(reference.previousId)))
  );
}
