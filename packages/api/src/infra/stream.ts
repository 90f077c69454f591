/**
 * A bounded, replayable log per key (Redis Streams, or an in-process ring with the same
 * behaviour). Ids look like Redis stream ids, `<ms>-<seq>`, on both twins: ordered, unique per
 * key, and time-based, so an id handed out before a restart never shadows newer entries.
 */
export interface Stream {
  /** Appends one entry, trims the key to about `maxLength` entries and restarts its TTL. */
  append(key: string, data: unknown, options: StreamAppendOptions): Promise<StreamAppended>;
  /**
   * Up to `limit` entries with an id greater than `afterId` (from the oldest held when null),
   * oldest first, read atomically with what the key knows about its trimmed past.
   */
  read(key: string, afterId: string | null, limit: number): Promise<StreamRead>;
  close(): Promise<void>;
}

export interface StreamAppendOptions {
  /** Entries kept; Redis trims lazily (`MAXLEN ~`), so it may briefly hold a few more. */
  maxLength: number;
  /** The key disappears this long after its last append. */
  ttlMs: number;
}

export interface StreamAppended {
  id: string;
  /** The key's newest entry just before this one; null when the key was empty or absent. */
  previousId: string | null;
}

export interface StreamEntry {
  id: string;
  data: unknown;
}

export interface StreamRead {
  entries: StreamEntry[];
  /** True when entries after `afterId` may have been trimmed or expired: a reader missed some. */
  truncated: boolean;
  /** The newest id the key ever generated; null when the key does not exist. */
  lastId: string | null;
}

/** Before every id: "I have seen nothing yet". */
export const ZERO_STREAM_ID = '0-0';

const STREAM_ID = /^(\d{1,16})-(\d{1,16})$/;

export function isStreamId(value: string): boolean {
  const match = STREAM_ID.exec(value);
  return (
    match !== null &&
    Number.isSafeInteger(Number(match[1])) &&
    Number.isSafeInteger(Number(match[2]))
  );
}

function parseStreamId(id: string): [ms: number, seq: number] {
  const match = STREAM_ID.exec(id);
  if (!match || !isStreamId(id)) throw new RangeError(`Not a stream id: "${id}"`);
  return [Number(match[1]), Number(match[2])];
}

/** Numeric, not lexicographic: `10-0` comes after `9-5`, and `5-10` after `5-9`. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = parseStreamId(a);
  const [bMs, bSeq] = parseStreamId(b);
  return aMs - bMs || aSeq - bSeq;
}

/** The millisecond part: Redis server time on the Redis twin, this process's on the memory one. */
export function streamIdTime(id: string): number {
  return parseStreamId(id)[0];
}

/** What a key knows about its past, as both twins report it. */
export interface StreamHistory {
  /** Oldest entry held; null when the key holds nothing (or does not exist). */
  firstId: string | null;
  /** Whether trimming ever removed entries from this key (all of them older than firstId). */
  trimmed: boolean;
}

/**
 * Whether a reader positioned at `afterId` may have missed entries. Trimming removes the
 * oldest entries, so a reader at or past the oldest one held missed nothing. Before it, the
 * answer is "maybe" (Redis does not say which id was trimmed last, so a reader whose last id
 * was itself the newest trimmed entry is told too): the key was trimmed, or it expired and
 * began again (or a memory twin restarted), losing whatever followed `afterId` in its earlier
 * life. `ZERO_STREAM_ID` ("seen nothing") missed something only when entries were trimmed.
 */
export function missedAfter(afterId: string | null, history: StreamHistory): boolean {
  if (afterId === null) return false;
  if (history.firstId !== null && compareStreamIds(afterId, history.firstId) >= 0) return false;
  return afterId !== ZERO_STREAM_ID || history.trimmed;
}

/** Both twins refuse the same malformed calls. */
export function checkedAppendOptions(options: StreamAppendOptions): StreamAppendOptions {
  if (!Number.isInteger(options.maxLength) || options.maxLength < 1) {
    throw new RangeError(`Stream maxLength must be a positive integer, got ${options.maxLength}`);
  }
  if (!Number.isFinite(options.ttlMs) || options.ttlMs <= 0) {
    throw new RangeError(`Stream TTL must be positive milliseconds, got ${options.ttlMs}`);
  }
  return { maxLength: options.maxLength, ttlMs: Math.ceil(options.ttlMs) };
}

export function checkedRead(afterId: string | null, limit: number): void {
  if (afterId !== null) parseStreamId(afterId);
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`Stream read limit must be a non-negative integer, got ${limit}`);
  }
}
