import type { Redis } from 'ioredis';
import { toJson } from './json.js';
import {
  checkedAppendOptions,
  checkedRead,
  missedAfter,
  type Stream,
  type StreamAppended,
  type StreamAppendOptions,
  type StreamEntry,
  type StreamRead,
  ZERO_STREAM_ID,
} from './stream.js';

export interface RedisStreamOptions {
  /** Namespaces every key, so several apps or test runs can share one Redis. */
  keyPrefix: string;
}

const APPEND = 'pulseStreamAppend';
const READ = 'pulseStreamRead';
const FIELD = 'd';

/**
 * Atomic, one round trip: the previous newest id (so subscribers can tell whether they hold
 * every entry before this one), XADD with lazy trimming, TTL restart.
 * KEYS[1] stream; ARGV[1] max length, ARGV[2] payload, ARGV[3] TTL ms. Returns { id, previous? }.
 */
const APPEND_LUA = `
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', '${FIELD}', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if last[1] then return { id, last[1][1] } end
return { id }
`;

/**
 * Atomic, one round trip: what the key knows about its trimmed past (XINFO, Redis >= 7:
 * entries ever added beyond those held were trimmed) and the entries after ARGV[1]
 * ('' = from the oldest), at most ARGV[2].
 * Returns { 0 } for a missing key, else { 1, first id | false, trimmed 0|1, last id, entries }.
 */
const READ_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return { 0 } end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local first, length, added, last = false, 0, 0, '${ZERO_STREAM_ID}'
for i = 1, #info, 2 do
  local name, value = info[i], info[i + 1]
  if name == 'first-entry' and value then first = value[1]
  elseif name == 'length' then length = value
  elseif name == 'entries-added' then added = value
  elseif name == 'last-generated-id' then last = value end
end
local trimmed = 0
if added > length then trimmed = 1 end
local entries = {}
if tonumber(ARGV[2]) > 0 then
  local start = '-'
  if ARGV[1] ~= '' then start = '(' .. ARGV[1] end
  entries = redis.call('XRANGE', KEYS[1], start, '+', 'COUNT', ARGV[2])
end
return { 1, first, trimmed, last, entries }
`;

type RawEntry = [id: string, fields: string[]];
type ReadReply = [0] | [1, string | null, 0 | 1, string, RawEntry[]];

interface StreamCommands {
  [APPEND](key: string, maxLength: number, json: string, ttlMs: number): Promise<string[]>;
  [READ](key: string, afterId: string, limit: number): Promise<ReadReply>;
}

/** Replayable logs shared by every process on the same Redis. */
export class RedisStream implements Stream {
  readonly #redis: Redis & StreamCommands;
  readonly #keyPrefix: string;

  constructor(redis: Redis, options: RedisStreamOptions) {
    // Defining again on a shared connection just replaces an identical definition.
    redis.defineCommand(APPEND, { numberOfKeys: 1, lua: APPEND_LUA });
    redis.defineCommand(READ, { numberOfKeys: 1, lua: READ_LUA });
    this.#redis = redis as Redis & StreamCommands;
    this.#keyPrefix = options.keyPrefix;
  }

  async append(key: string, data: unknown, options: StreamAppendOptions): Promise<StreamAppended> {
    const { maxLength, ttlMs } = checkedAppendOptions(options);
    const json = toJson(data, 'Stream entry');
    const [id, previousId] = await this.#redis[APPEND](
      this.#keyPrefix + key,
      maxLength,
      json,
      ttlMs,
    );
    if (id === undefined) throw new Error('XADD returned no id');
    return { id, previousId: previousId ?? null };
  }

  async read(key: string, afterId: string | null, limit: number): Promise<StreamRead> {
    checkedRead(afterId, limit);
    const reply = await this.#redis[READ](this.#keyPrefix + key, afterId ?? '', limit);
    if (reply[0] === 0) {
      return {
        entries: [],
        truncated: missedAfter(afterId, { firstId: null, trimmed: false }),
        lastId: null,
      };
    }
    const [, firstId, trimmed, lastId, raw] = reply;
    return {
      entries: raw.map(toEntry),
      truncated: missedAfter(afterId, { firstId: firstId || null, trimmed: trimmed === 1 }),
      lastId,
    };
  }

  /** The connection is shared and belongs to whoever created it, so nothing to release. */
  async close(): Promise<void> {}
}

function toEntry([id, fields]: RawEntry): StreamEntry {
  const at = fields.indexOf(FIELD);
  const json = at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
  if (json === undefined) throw new Error(`Stream entry ${id} has no "${FIELD}" field`);
  return { id, data: JSON.parse(json) as unknown };
}
