import type { Redis } from 'ioredis';
import {
  type Bus,
  type BusHandler,
  type BusHandlerErrorReporter,
  deliverBusMessage,
  reportBusHandlerErrorToConsole,
} from './bus.js';
import { toJson } from './json.js';
import { closeRedisConnection } from './redis.js';

export interface RedisBusOptions {
  /** Namespaces every channel, so several apps or test runs can share one Redis. */
  keyPrefix: string;
  /** Called on the first subscribe: a connection in subscriber mode cannot run commands. */
  createSubscriber: () => Redis;
  onHandlerError?: BusHandlerErrorReporter;
}

/** A registration, not the bare function, so one handler subscribed twice is two subscriptions. */
interface Subscription {
  handler: BusHandler;
}

interface ChannelState {
  subscriptions: Set<Subscription>;
  /** The single SUBSCRIBE for this channel; later local handlers wait on the same one. */
  live: Promise<unknown>;
}

/** Pub/sub across every process on the same Redis. */
export class RedisBus implements Bus {
  readonly #publisher: Redis;
  readonly #keyPrefix: string;
  readonly #createSubscriber: () => Redis;
  readonly #onHandlerError: BusHandlerErrorReporter;
  /** By full Redis channel name; present exactly while Redis is (being) subscribed. */
  readonly #channels = new Map<string, ChannelState>();
  #subscriber: Redis | undefined;
  #closed = false;

  constructor(publisher: Redis, options: RedisBusOptions) {
    this.#publisher = publisher;
    this.#keyPrefix = options.keyPrefix;
    this.#createSubscriber = options.createSubscriber;
    this.#onHandlerError = options.onHandlerError ?? reportBusHandlerErrorToConsole;
  }

  async publish(channel: string, message: unknown): Promise<void> {
    await this.#publisher.publish(this.#keyPrefix + channel, toJson(message, 'Bus message'));
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    if (this.#closed) throw new Error('RedisBus is closed');
    const name = this.#keyPrefix + channel;
    let state = this.#channels.get(name);
    if (!state) {
      // SUBSCRIBE/UNSUBSCRIBE for a name are pipelined on one connection, so Redis applies
      // them in the order issued here even while earlier ones are still in flight.
      state = { subscriptions: new Set(), live: this.#subscriberConnection().subscribe(name) };
      this.#channels.set(name, state);
    }
    const subscription = { handler };
    state.subscriptions.add(subscription);
    try {
      await state.live;
    } catch (error) {
      if (this.#channels.get(name) === state) this.#channels.delete(name);
      throw error;
    }
    return () => this.#unsubscribe(name, subscription);
  }

  /** Closes only the subscriber connection this bus created; the publisher is shared. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#channels.clear();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (subscriber) await closeRedisConnection(subscriber);
  }

  async #unsubscribe(name: string, subscription: Subscription): Promise<void> {
    const state = this.#channels.get(name);
    if (!state?.subscriptions.delete(subscription)) return;
    if (state.subscriptions.size > 0) return;
    this.#channels.delete(name);
    await this.#subscriber?.unsubscribe(name);
  }

  #subscriberConnection(): Redis {
    if (!this.#subscriber) {
      this.#subscriber = this.#createSubscriber();
      this.#subscriber.on('message', (name: string, json: string) => this.#dispatch(name, json));
    }
    return this.#subscriber;
  }

  #dispatch(name: string, json: string): void {
    const state = this.#channels.get(name);
    if (!state) return; // a message already in flight when the last handler left
    const channel = name.slice(this.#keyPrefix.length);
    for (const subscription of [...state.subscriptions]) {
      if (!state.subscriptions.has(subscription)) continue; // removed by an earlier handler
      deliverBusMessage(subscription.handler, json, channel, this.#onHandlerError);
    }
  }
}
