import { type PulseDatabase, scopeTo } from '@pulse/db';
import type { ConnectionRegistry } from './live.connections.js';
import type { OverviewMessage } from './live.contract.js';
import { overviewFigures } from './live.queries.js';

type Listener = (snapshot: OverviewMessage) => void;

interface Ticker {
  listeners: Set<Listener>;
  timer: NodeJS.Timeout;
  /** A tick still running when the next is due is not doubled up. */
  busy: boolean;
}

export interface OverviewTickersOptions {
  database: PulseDatabase;
  connections: ConnectionRegistry;
  intervalMs: number;
  onError: (error: unknown, workspaceId: string) => void;
}

/** The dashboard figures of one workspace at `at`, from stored events and live connections. */
export async function computeOverview(
  database: PulseDatabase,
  connections: ConnectionRegistry,
  workspaceId: string,
  at: Date,
): Promise<OverviewMessage> {
  const [figures, live] = await Promise.all([
    overviewFigures(scopeTo(database.db, workspaceId), at),
    connections.workspace(workspaceId),
  ]);
  return {
    kind: 'overview',
    at: at.toISOString(),
    eventsPerMinute: figures.eventsLastMinute,
    activeUsers: figures.activeUsers,
    revenue: figures.revenue,
    errorRate:
      figures.eventsLastFiveMinutes === 0
        ? 0
        : figures.errorsLastFiveMinutes / figures.eventsLastFiveMinutes,
    connectedClients: live.total,
  };
}

/**
 * One computation per workspace per interval in this process, whatever the number of its
 * dashboards open here; each new watcher also gets a snapshot at once instead of waiting.
 */
export class OverviewTickers {
  readonly #options: OverviewTickersOptions;
  readonly #tickers = new Map<string, Ticker>();

  constructor(options: OverviewTickersOptions) {
    this.#options = options;
  }

  watch(workspaceId: string, listener: Listener): () => void {
    let ticker = this.#tickers.get(workspaceId);
    if (!ticker) {
      const created: Ticker = {
        listeners: new Set(),
        busy: false,
        timer: setInterval(() => void this.#tick(workspaceId, created), this.#options.intervalMs),
      };
      created.timer.unref();
      ticker = created;
      this.#tickers.set(workspaceId, ticker);
    }
    const own = ticker;
    own.listeners.add(listener);
    void this.#deliver(workspaceId, () => (own.listeners.has(listener) ? [listener] : []));
    return () => {
      own.listeners.delete(listener);
      if (own.listeners.size === 0 && this.#tickers.get(workspaceId) === own) {
        clearInterval(own.timer);
        this.#tickers.delete(workspaceId);
      }
    };
  }

  close(): void {
    for (const ticker of this.#tickers.values()) clearInterval(ticker.timer);
    this.#tickers.clear();
  }

  async #tick(workspaceId: string, ticker: Ticker): Promise<void> {
    if (ticker.busy) return;
    ticker.busy = true;
    try {
      await this.#deliver(workspaceId, () => [...ticker.listeners]);
    } finally {
      ticker.busy = false;
    }
  }

  /** Recipients are read after computing, so a watcher that left meanwhile gets nothing. */
  async #deliver(workspaceId: string, recipients: () => Listener[]): Promise<void> {
    const { database, connections, onError } = this.#options;
    try {
      const snapshot = await computeOverview(database, connections, workspaceId, new Date());
      for (const listener of recipients()) listener(snapshot);
    } catch (error) {
      onError(error, workspaceId);
    }
  }
}
