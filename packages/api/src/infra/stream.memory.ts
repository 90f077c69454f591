import { toJson } from './json.js';
import {
  checkedAppendOptions,
  checkedRead,
  compareStreamIds,
  missedAfter,
  type Stream,
  type StreamAppended,
  type StreamAppendOptions,
  type StreamRead,
} from './stream.js';

export interface MemoryStreamOptions {
  /** How often keys past their TTL that nobody touches again are dropped. */
  sweepIntervalMs?: number;
}

interface StoredEntry {
  id: string;
  /** Serialised so readers get copies, exactly as the Redis twin returns them. */
  json: string;
}

interface Log {
  /** Ring buffer as an array plus a head index: trimming is O(1), compaction amortised. */
  entries: StoredEntry[];
  head: number;
  lastMs: number;
  lastSeq: number;
  trimmed: boolean;
  expiresAt: number;
}

/** In-process twin of RedisStream: bounded per key, same ids, same trimming report. */
export class MemoryStream implements Stream {
  readonly #logs = new Map<string, Log>();
  readonly #sweepTimer: NodeJS.Timeout;

  constructor(options: MemoryStreamOptions = {}) {
    this.#sweepTimer = setInterval(() => this.#sweep(), options.sweepIntervalMs ?? 60_000);
    this.#sweepTimer.unref();
  }

  /** Keys held, including expired ones not swept yet. */
  get size(): number {
    return this.#logs.size;
  }

  async append(key: string, data: unknown, options: StreamAppendOptions): Promise<StreamAppended> {
    const { maxLength, ttlMs } = checkedAppendOptions(options);
    const json = toJson(data, 'Stream entry');
    const now = Date.now();
    let log = this.#liveLog(key, now);
    if (!log) {
      log = {
        entries: [],
        head: 0,
        lastMs: 0,
        lastSeq: 0,
        trimmed: false,
        expiresAt: 0,
      };
      this.#logs.set(key, log);
    }
    const previousId = log.entries.length > log.head ? (log.entries.at(-1)?.id ?? null) : null;
    // Like Redis: the clock part never goes back, the sequence orders entries within one ms.
    if (now > log.lastMs) {
      log.lastMs = now;
      log.lastSeq = 0;
    } else {
      log.lastSeq += 1;
    }
    const id = `${log.lastMs}-${log.lastSeq}`;
    log.entries.push({ id, json });
    while (log.entries.length - log.head > maxLength) {
      log.head += 1;
      log.trimmed = true;
    }
    if (log.head > 1024 && log.head * 2 > log.entries.length) {
      log.entries.splice(0, log.head);
      log.head = 0;
    }
    log.expiresAt = now + ttlMs;
    return { id, previousId };
  }

  async read(key: string, afterId: string | null, limit: number): Promise<StreamRead> {
    checkedRead(afterId, limit);
    const log = this.#liveLog(key, Date.now());
    if (!log) {
      return {
        entries: [],
        truncated: missedAfter(afterId, { firstId: null, trimmed: false }),
        lastId: null,
      };
    }
    const firstId = log.entries[log.head]?.id ?? null;
    const start = afterId === null ? log.head : this.#firstAfter(log, afterId);
    const entries = log.entries
      .slice(start, start + limit)
      .map((entry) => ({ id: entry.id, data: JSON.parse(entry.json) as unknown }));
    return {
      entries,
      truncated: missedAfter(afterId, { firstId, trimmed: log.trimmed }),
      lastId: `${log.lastMs}-${log.lastSeq}`,
    };
  }

  async close(): Promise<void> {
    clearInterval(this.#sweepTimer);
    this.#logs.clear();
  }

  /** Binary search: index of the first held entry whose id is greater than `afterId`. */
  #firstAfter(log: Log, afterId: string): number {
    let low = log.head;
    let high = log.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareStreamIds((log.entries[middle] as StoredEntry).id, afterId) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #liveLog(key: string, now: number): Log | undefined {
    const log = this.#logs.get(key);
    if (log && log.expiresAt <= now) {
      this.#logs.delete(key);
      return undefined;
    }
    return log;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, log] of this.#logs) {
      if (log.expiresAt <= now) this.#logs.delete(key);
    }
  }
}
