import type { Bus, BusHandler } from '../infra/bus.js';

interface Channel {
  handlers: Set<BusHandler>;
  /** The one bus subscription for this channel in this process. */
  subscribed: Promise<() => Promise<void>>;
}

/**
 * One bus subscription per feed channel per process, fanned out to its local subscribers.
 * The bus parses a message once per handler; an ingest batch is up to ~1 MB of JSON, so a
 * thousand dashboards of one workspace would parse it a thousand times. Here it is parsed
 * once and shared: subscribers must treat messages as read-only.
 */
export class FeedFanout {
  readonly #bus: Bus;
  readonly #channels = new Map<string, Channel>();

  constructor(bus: Bus) {
    this.#bus = bus;
  }

  /** Resolves once messages flow; the returned function unsubscribes. */
  async subscribe(name: string, handler: BusHandler): Promise<() => Promise<void>> {
    let channel = this.#channels.get(name);
    if (!channel) {
      const handlers = new Set<BusHandler>();
      const created: Channel = {
        handlers,
        subscribed: this.#bus.subscribe(name, (message) => {
          for (const local of [...handlers]) local(message);
        }),
      };
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
}
