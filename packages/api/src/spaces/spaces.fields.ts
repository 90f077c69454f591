import { z } from 'zod';
import { timestampSchema } from '../fields.js';

// Field types shared by the spaces and community contracts. Number schemas are made fresh per
// use: the REST adapter marks a GET input's numbers as coercing by mutating the schema, which
// must not leak into request bodies that share it.

export const MAX_TAGS = 20;

/** Tags, interests and amenities: trimmed here, lower-cased and de-duplicated by the service. */
export const tagListSchema = (what: string) =>
  z
    .array(z.string().trim().min(1).max(50))
    .max(MAX_TAGS)
    .describe(`${what}: up to ${MAX_TAGS} tags of 1–50 characters, stored lower-case`);

export const tagFilterSchema = z.string().trim().min(1).max(50);

export const nameSchema = (max = 200) => z.string().trim().min(1).max(max);

export const moneySchema = () =>
  z.number().min(0).max(1_000_000_000).describe('Amount in the workspace currency, 2 decimals');

export const countSchema = (max: number) => z.number().int().min(1).max(max);

export const timeRangeFilters = {
  from: timestampSchema.optional().describe('Only items ending after this time'),
  to: timestampSchema.optional().describe('Only items starting before this time'),
};

/** A list answer: one page of items and the cursor of the next. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** `from`/`to` filters as times. */
export function timeRange(input: { from?: string; to?: string }) {
  return {
    from: input.from ? new Date(input.from) : undefined,
    to: input.to ? new Date(input.to) : undefined,
  };
}

export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))];
}

/** numeric columns arrive as exact decimal strings; the API speaks numbers. */
export const money = (value: string | number): number => Number(value);

export const iso = (date: Date): string => date.toISOString();

export const isoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null);
