import type { Stream } from '../infra/stream.js';
import { streamIdTime } from '../infra/stream.js';
import { LIVE_FEEDS, type LiveFeed, presenceStreamKey } from './live.channels.js';

export type ChannelCounts = Record<LiveFeed, number>;

export interface ProcessConnections {
  process: string;
  channels: ChannelCounts;
  total: number;
  /** When the process last reported (Redis time on Redis, this process's clock otherwise). */
  reportedAt: string;
}

export interface WorkspaceConnections {
  channels: ChannelCounts;
  total: number;
  processes: ProcessConnections[];
}

interface PresenceReport {
  process: string;
  channels: ChannelCounts;
}

export interface ConnectionRegistryOptions {
  processId: string;
  heartbeatMs: number;
  onError: (error: unknown) => void;
}

// Reports within this window of the newest one count; a process that stopped reporting
// (crashed, partitioned) drops out after missing three heartbeats.
const MISSED_HEARTBEATS = 3;
// Connects and disconnects arriving together are reported once.
const FLUSH_DELAY_MS = 25;
const PRESENCE_LENGTH = 2_000;

const zeroCounts = (): ChannelCounts => ({
  events: 0,
  metrics: 0,
  overview: 0,
  tower: 0,
  insights: 0,
});
const totalOf = (counts: ChannelCounts) => LIVE_FEEDS.reduce((sum, feed) => sum + counts[feed], 0);

/**
 * Live subscriptions per workspace and channel, across processes. Each process appends its
 * own counts to a per-workspace presence stream when they change and on a heartbeat while it
 * has any; readers take each process's latest report within the heartbeat window. The key's
 * TTL (three heartbeats) removes it once no process reports any more.
 */
export class ConnectionRegistry {
  readonly #stream: Stream;
  readonly #options: ConnectionRegistryOptions;
  readonly #local = new Map<string, ChannelCounts>();
  readonly #dirty = new Set<string>();
  #flushTimer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(stream: Stream, options: ConnectionRegistryOptions) {
    this.#stream = stream;
    this.#options = options;
  }

  /** Counts one subscription until the returned function is called (once is enough). */
  track(workspaceId: string, feed: LiveFeed): () => void {
    this.#change(workspaceId, feed, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#change(workspaceId, feed, -1);
    };
  }

  /** This process's subscriptions, every workspace. */
  localTotal(): number {
    let total = 0;
    for (const counts of this.#local.values()) total += totalOf(counts);
    return total;
  }

  async workspace(workspaceId: string): Promise<WorkspaceConnections> {
    const key = presenceStreamKey(workspaceId);
    const { lastId } = await this.#stream.read(key, null, 0);
    const latest = new Map<string, ProcessConnections>();
    if (lastId !== null) {
      const since = Math.max(
        0,
        streamIdTime(lastId) - MISSED_HEARTBEATS * this.#options.heartbeatMs,
      );
      const { entries } = await this.#stream.read(key, `${since}-0`, PRESENCE_LENGTH);
      for (const { id, data } of entries) {
        const report = data as PresenceReport;
        latest.set(report.process, {
          process: report.process,
          channels: report.channels,
          total: totalOf(report.channels),
          reportedAt: new Date(streamIdTime(id)).toISOString(),
        });
      }
    }
    // This process knows its own counts exactly, without waiting for its next report.
    const own = this.#local.get(workspaceId);
    const self = this.#options.processId;
    if (own) {
      const reportedAt = latest.get(self)?.reportedAt ?? new Date().toISOString();
      latest.set(self, { process: self, channels: { ...own }, total: totalOf(own), reportedAt });
    } else {
      latest.delete(self);
    }
    const processes = [...latest.values()].filter((p) => p.total > 0);
    const channels = zeroCounts();
    for (const p of processes) for (const feed of LIVE_FEEDS) channels[feed] += p.channels[feed];
    return { channels, total: totalOf(channels), processes };
  }

  /**
   * Reports zero for every workspace (this process serves nobody any more, so others need
   * not wait three heartbeats to stop counting it) and stops the timers.
   */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    for (const workspaceId of this.#local.keys()) {
      this.#local.set(workspaceId, zeroCounts());
      this.#dirty.add(workspaceId);
    }
    await this.#flush();
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  #change(workspaceId: string, feed: LiveFeed, delta: number): void {
    const counts = this.#local.get(workspaceId) ?? zeroCounts();
    counts[feed] = Math.max(0, counts[feed] + delta);
    this.#local.set(workspaceId, counts);
    this.#dirty.add(workspaceId);
    // After close (the infra is going away) late releases only adjust the local counts.
    if (this.#closed) return;
    this.#flushTimer ??= setTimeout(() => {
      this.#flushTimer = undefined;
      void this.#flush();
    }, FLUSH_DELAY_MS);
    if (!this.#heartbeat) {
      this.#heartbeat = setInterval(() => {
        for (const id of this.#local.keys()) this.#dirty.add(id);
        void this.#flush();
      }, this.#options.heartbeatMs);
      this.#heartbeat.unref();
    }
  }

  /** Serialised, so reports of one workspace reach the stream in the order they were made. */
  #flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#report());
    return this.#flushing;
  }

  async #report(): Promise<void> {
    const ttlMs = MISSED_HEARTBEATS * this.#options.heartbeatMs;
    const workspaces = [...this.#dirty];
    this.#dirty.clear();
    for (const workspaceId of workspaces) {
      const channels = { ...(this.#local.get(workspaceId) ?? zeroCounts()) };
      // A workspace reported at zero is forgotten until its next subscription.
      if (totalOf(channels) === 0) this.#local.delete(workspaceId);
      const report: PresenceReport = { process: this.#options.processId, channels };
      try {
        await this.#stream.append(presenceStreamKey(workspaceId), report, {
          maxLength: PRESENCE_LENGTH,
          ttlMs,
        });
      } catch (error) {
        this.#options.onError(error);
      }
    }
    if (this.#local.size === 0 && this.#heartbeat) {
      clearInterval(this.#heartbeat);
      this.#heartbeat = undefined;
    }
  }
}
