import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { PulseDatabase } from '@pulse/db';
import type { Infra } from '../infra/index.js';
import { DEFAULT_LIVE_SETTINGS, type LiveFeed, type LiveSettings } from './live.channels.js';
import { ConnectionRegistry } from './live.connections.js';
import { FeedFanout } from './live.fanout.js';
import { OverviewTickers } from './live.overview.js';

/** The subset of pino the hub logs through (Fastify's logger fits). */
export interface LiveLog {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface LiveStats {
  /** Subscriptions open in this process (WebSocket and SSE, every feed). */
  subscriptions: number;
  /** Ingest batches or broadcasts whose publication failed (the ingest itself succeeded). */
  publishFailures: number;
  /** Connections dropped because their client stopped reading. */
  slowConsumersDropped: number;
  /** Messages the fan-out wrote straight to waiting WebSocket subscribers (see live.feed.ts). */
  framesWrittenByFanout: number;
}

export interface LiveHubOptions {
  infra: Infra;
  database: PulseDatabase;
  settings?: Partial<LiveSettings>;
  log?: LiveLog;
}

/**
 * What live feeds share within one server process: settings, the connection registry, the
 * overview tickers and counters. One per server (passed in the context, never a module
 * global), closed with it.
 */
export class LiveHub {
  readonly settings: LiveSettings;
  /** Names this process in connection reports; unique even for several servers in one process. */
  readonly processId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly connections: ConnectionRegistry;
  readonly fanout: FeedFanout;
  readonly overview: OverviewTickers;
  readonly #log: LiveLog | undefined;
  readonly #stats = { publishFailures: 0, slowConsumersDropped: 0, framesWrittenByFanout: 0 };

  constructor(options: LiveHubOptions) {
    this.settings = { ...DEFAULT_LIVE_SETTINGS, ...options.settings };
    this.#log = options.log;
    this.fanout = new FeedFanout(options.infra.bus, options.infra.stream);
    this.connections = new ConnectionRegistry(options.infra.stream, {
      processId: this.processId,
      heartbeatMs: this.settings.presenceHeartbeatMs,
      onError: (error) => this.#log?.warn({ err: error }, 'live: connection report failed'),
    });
    this.overview = new OverviewTickers({
      database: options.database,
      connections: this.connections,
      intervalMs: this.settings.overviewIntervalMs,
      onError: (error, workspaceId) =>
        this.#log?.warn({ err: error, workspaceId }, 'live: overview computation failed'),
    });
  }

  reportPublishFailure(error: unknown, where: { feed: LiveFeed; workspaceId: string }): void {
    this.#stats.publishFailures += 1;
    this.#log?.error({ err: error, ...where }, 'live: publish failed; subscribers will miss it');
  }

  reportSlowConsumer(where: { feed: LiveFeed; workspaceId: string; bufferedBytes: number }): void {
    this.#stats.slowConsumersDropped += 1;
    this.#log?.warn(where, 'live: dropped a connection that stopped reading');
  }

  countFrameWrittenByFanout(): void {
    this.#stats.framesWrittenByFanout += 1;
  }

  stats(): LiveStats {
    return { subscriptions: this.connections.localTotal(), ...this.#stats };
  }

  /** Call once every subscription has ended (after the transports closed). */
  async close(): Promise<void> {
    this.overview.close();
    await this.connections.close();
  }
}
