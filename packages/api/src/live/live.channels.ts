/** The live feeds; each has its own replay stream and bus channel per workspace. */
export const LIVE_FEEDS = ['events', 'metrics', 'overview', 'tower', 'insights'] as const;
export type LiveFeed = (typeof LIVE_FEEDS)[number];

export interface LiveSettings {
  /** Messages (ingest batches, broadcasts) each feed's replay stream keeps per workspace. */
  replayLength: number;
  /** A client with more than this many bytes queued gets nothing more until it drains… */
  slowConsumerBytes: number;
  /** …and is disconnected once it has stayed above that for this long. */
  slowConsumerMs: number;
  /** How often the overview feed recomputes its figures. */
  overviewIntervalMs: number;
  /** How often a process re-announces its connection counts; 3 missed = process gone. */
  presenceHeartbeatMs: number;
  /** How often insights are recomputed for a workspace with live.insights subscribers. */
  insightsIntervalMs: number;
}

export const DEFAULT_LIVE_SETTINGS: LiveSettings = {
  // Batches, not events: 1,000 covers a reconnect of several seconds at a busy workspace's
  // ingest rate while keeping Redis (or this process) at ~1,000 × batch size per workspace.
  replayLength: 1_000,
  slowConsumerBytes: 4 * 1024 * 1024,
  slowConsumerMs: 10_000,
  overviewIntervalMs: 2_000,
  presenceHeartbeatMs: 5_000,
  insightsIntervalMs: 30_000,
};

/** A replay stream outlives a quiet spell this long; after that a resuming client gets a gap. */
export const REPLAY_TTL_MS = 24 * 3_600_000;

export const feedStreamKey = (workspaceId: string, feed: LiveFeed) => `live:${workspaceId}:${feed}`;
export const feedChannel = (workspaceId: string, feed: LiveFeed) => `live:${workspaceId}:${feed}`;
export const presenceStreamKey = (workspaceId: string) => `live:${workspaceId}:presence`;
