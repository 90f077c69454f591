import { PulseError } from '../errors.js';
import { type PageCursor, toPage } from '../pagination.js';

/**
 * Keyset pagination over (sort key, id) for lists ordered by a name, a number or a time: the
 * cursor is the last row's pair, so pages stay stable while rows are added. Same encoding as
 * `pagination.ts`, whose cursors only carry times.
 */
export interface KeyCursor<K extends string | number = string | number> {
  key: K;
  id: string;
}

type KeyKind = 'string' | 'number' | 'time';

export function decodeKeyCursor(
  cursor: string | undefined,
  kind: 'number',
): KeyCursor<number> | undefined;
export function decodeKeyCursor(
  cursor: string | undefined,
  kind: 'string' | 'time',
): KeyCursor<string> | undefined;
export function decodeKeyCursor(cursor: string | undefined, kind: KeyKind): KeyCursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof key === 'string' && typeof id === 'string') {
      if (kind === 'string') return { key, id };
      if (kind === 'time' && !Number.isNaN(Date.parse(key))) return { key, id };
      if (kind === 'number' && /^-?\d+$/.test(key)) return { key: Number(key), id };
    }
  } catch {
    // fall through to the error below
  }
  throw new PulseError('VALIDATION_FAILED', 'cursor is not one this list issued', {
    field: 'cursor',
  });
}

/** One page of a `limit + 1` fetch, and the cursor of the next. */
export function keyPage<T, R>(
  rows: T[],
  limit: number,
  map: (row: T) => R,
  cursorOf: (row: T) => KeyCursor,
): { items: R[]; nextCursor: string | null } {
  return toPage(rows, limit, map, (row): PageCursor => {
    const { key, id } = cursorOf(row);
    return { at: String(key), id };
  });
}
