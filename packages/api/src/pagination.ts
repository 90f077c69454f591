import { z } from 'zod';
import { PulseError } from './errors.js';

export const pageInput = {
  limit: z.number().int().min(1).max(200).default(50).describe('Items per page (1–200)'),
  cursor: z.string().max(200).optional().describe('`nextCursor` from the previous page'),
};

/** Position after the last item of a page: stable under inserts because `id` breaks ties. */
export interface PageCursor {
  at: string;
  id: string;
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): PageCursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at))) {
      return { at, id };
    }
  } catch {
    // fall through to the error below
  }
  throw new PulseError('VALIDATION_FAILED', 'cursor is not one this API issued', {
    field: 'cursor',
  });
}

/** Splits a `limit + 1` fetch into the page and the cursor for the next one. */
export function toPage<T, R>(
  rows: T[],
  limit: number,
  map: (row: T) => R,
  cursorOf: (row: T) => PageCursor,
) {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(map),
    nextCursor: hasMore && last ? encodeCursor(cursorOf(last)) : null,
  };
}
