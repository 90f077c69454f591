import {
  type Bus,
  type BusHandler,
  type BusHandlerErrorReporter,
  deliverBusMessage,
  reportBusHandlerErrorToConsole,
} from './bus.js';
import { toJson } from './json.js';

export interface MemoryBusOptions {
  onHandlerError?: BusHandlerErrorReporter;
}

/** A registration, not the bare function, so one handler subscribed twice is two subscriptions. */
interface Subscription {
  handler: BusHandler;
}

/** In-process twin of RedisBus: same asynchrony, same JSON payloads. */
export class MemoryBus implements Bus {
  readonly #channels = new Map<string, Set<Subscription>>();
  readonly #onHandlerError: BusHandlerErrorReporter;

  constructor(options: MemoryBusOptions = {}) {
    this.#onHandlerError = options.onHandlerError ?? reportBusHandlerErrorToConsole;
  }

  async publish(channel: string, message: unknown): Promise<void> {
    const json = toJson(message, 'Bus message');
    const subscriptions = this.#channels.get(channel);
    if (!subscriptions) return;
    // Like Redis, a message goes to those subscribed when it was published. Delivery is
    // deferred so code that works here does not secretly rely on synchronous handlers.
    const recipients = [...subscriptions];
    setImmediate(() => {
      for (const subscription of recipients) {
        if (!subscriptions.has(subscription)) continue; // unsubscribed meanwhile
        deliverBusMessage(subscription.handler, json, channel, this.#onHandlerError);
      }
    });
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    let subscriptions = this.#channels.get(channel);
    if (!subscriptions) {
      subscriptions = new Set();
      this.#channels.set(channel, subscriptions);
    }
    const subscription = { handler };
    subscriptions.add(subscription);
    return async () => {
      if (!subscriptions.delete(subscription)) return;
      if (subscriptions.size === 0 && this.#channels.get(channel) === subscriptions) {
        this.#channels.delete(channel);
      }
    };
  }

  async close(): Promise<void> {
    for (const subscriptions of this.#channels.values()) subscriptions.clear();
    this.#channels.clear();
  }
}
