type Listener<V> = (value: V) => void;

interface Ticker<V> {
  listeners: Set<Listener<V>>;
  compute: () => Promise<V>;
  timer: NodeJS.Timeout;
  /** A tick still running when the next is due is not doubled up. */
  busy: boolean;
}

/**
 * Recomputes a piece of state (a floor's pulse, the tower's rooms) once per interval per key
 * in this process, whatever the number of subscribers watching it; each new watcher gets a
 * value at once. The first watcher's `compute` serves the key until nobody watches it.
 */
export class StateTickers<V> {
  readonly #tickers = new Map<string, Ticker<V>>();

  constructor(
    private readonly intervalMs: number,
    private readonly onError: (error: unknown, key: string) => void,
  ) {}

  watch(key: string, compute: () => Promise<V>, listener: Listener<V>): () => void {
    let ticker = this.#tickers.get(key);
    if (!ticker) {
      const created: Ticker<V> = {
        listeners: new Set(),
        compute,
        busy: false,
        timer: setInterval(() => void this.#tick(key, created), this.intervalMs),
      };
      created.timer.unref();
      ticker = created;
      this.#tickers.set(key, ticker);
    }
    const own = ticker;
    own.listeners.add(listener);
    void this.#deliver(key, own, () => (own.listeners.has(listener) ? [listener] : []));
    return () => {
      own.listeners.delete(listener);
      if (own.listeners.size === 0 && this.#tickers.get(key) === own) {
        clearInterval(own.timer);
        this.#tickers.delete(key);
      }
    };
  }

  async #tick(key: string, ticker: Ticker<V>): Promise<void> {
    if (ticker.busy) return;
    ticker.busy = true;
    try {
      await this.#deliver(key, ticker, () => [...ticker.listeners]);
    } finally {
      ticker.busy = false;
    }
  }

  /** Recipients are read after computing, so a watcher that left meanwhile gets nothing. */
  async #deliver(key: string, ticker: Ticker<V>, recipients: () => Listener<V>[]): Promise<void> {
    try {
      const value = await ticker.compute();
      for (const listener of recipients()) listener(value);
    } catch (error) {
      this.onError(error, key);
    }
  }
}
