import { isStreamId } from '../infra/stream.js';
import type { FeedNotice } from './live.publisher.js';

// Bus messages a subscription holds while its client is busy; beyond that it drops them and
// re-reads the replay stream once the client catches up, so memory stays bounded.
const INBOX_LIMIT = 256;

export type InboxItem<T> =
  | { kind: 'notice'; notice: FeedNotice }
  | { kind: 'tick'; value: T }
  | { kind: 'overflow' };

/** Takes an item at once, instead of its waiting reader; false leaves it to the reader. */
export type IdleDelivery<T> = (
  item: { kind: 'notice'; notice: FeedNotice } | { kind: 'tick'; value: T },
) => boolean;

/** Bounded: at most INBOX_LIMIT notices and one tick; an overflow is remembered, not queued. */
export class FeedInbox<T> {
  #notices: FeedNotice[] = [];
  #overflowed = false;
  #tick: { value: T } | undefined;
  #wake: (() => void) | undefined;
  #watched: AbortSignal | undefined;
  readonly #deliverWhileIdle: IdleDelivery<T> | undefined;

  /**
   * `deliverWhileIdle` is offered each item that arrives while the reader waits in `next()`
   * with nothing queued (so everything it took before has been handled): an item it takes
   * never wakes the reader.
   */
  constructor(deliverWhileIdle?: IdleDelivery<T>) {
    this.#deliverWhileIdle = deliverWhileIdle;
  }

  pushNotice(message: unknown): void {
    if (!isNotice(message) || this.#overflowed) return;
    if (this.#wake && this.#deliverWhileIdle?.({ kind: 'notice', notice: message })) return;
    if (this.#notices.length >= INBOX_LIMIT) {
      this.#notices = [];
      this.#overflowed = true;
    } else {
      this.#notices.push(message);
    }
    this.#wakeUp();
  }

  setTick(value: T): void {
    if (this.#wake && this.#deliverWhileIdle?.({ kind: 'tick', value })) return;
    this.#tick = { value };
    this.#wakeUp();
  }

  /** The next item, or undefined once `signal` aborts. */
  async next(signal: AbortSignal | undefined): Promise<InboxItem<T> | undefined> {
    if (signal && this.#watched !== signal) {
      // One listener for the inbox's life, not one per wait: a thousand subscribers wait
      // again after every message.
      this.#watched = signal;
      signal.addEventListener('abort', () => this.#wakeUp(), { once: true });
    }
    for (;;) {
      if (signal?.aborted) return undefined;
      const item = this.take();
      if (item) return item;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** The item waiting now, if any, without waiting. */
  take(): InboxItem<T> | undefined {
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

// The fan-out hands the same parsed notice to every subscriber of a process: checked once.
const checkedNotices = new WeakSet<object>();

function isNotice(message: unknown): message is FeedNotice {
  if (typeof message === 'object' && message !== null && checkedNotices.has(message)) return true;
  if (!isWellFormedNotice(message)) return false;
  checkedNotices.add(message);
  return true;
}

function isWellFormedNotice(message: unknown): message is FeedNotice {
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
