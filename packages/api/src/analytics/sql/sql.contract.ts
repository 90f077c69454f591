import { z } from 'zod';
import type { PulseMeta } from '../../trpc.js';
import { describeViewsMarkdown } from './sql.views.js';

export const MAX_QUERY_ROWS = 10_000;
export const DEFAULT_QUERY_ROWS = 1_000;

// The REST adapter coerces every z.number() it reaches in an input; a pipe keeps a POST
// body's `limit: "12"` or `true` an error instead of a number.
const limitSchema = z
  .number()
  .pipe(z.number().int().min(1).max(MAX_QUERY_ROWS))
  .optional()
  .describe(`Rows returned at most (1–${MAX_QUERY_ROWS}, default ${DEFAULT_QUERY_ROWS})`);

export const runQueryInput = z.strictObject({
  sql: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(20_000)
    .describe('One SELECT (or WITH … SELECT) over the documented views'),
  limit: limitSchema,
});

export const columnSchema = z
  .object({ name: z.string(), type: z.string().describe('PostgreSQL type, e.g. bigint, text') })
  .meta({ id: 'QueryColumn' });

export const runQueryOutput = z.object({
  columns: z.array(columnSchema),
  rows: z
    .array(z.array(z.unknown()))
    .describe('One array per row, in column order; times are ISO strings, numbers JSON numbers'),
  rowCount: z.number().int().describe('Rows in `rows`'),
  truncated: z.boolean().describe('True when the statement had more rows than `limit`'),
});

export const askInput = z.strictObject({
  question: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(500)
    .describe('A question in plain language'),
});

export const askOutput = z.object({
  answer: z.string().describe('The answer in words, with the key figures'),
  sql: z.string().optional().describe('The statement that produced the figures'),
  columns: z.array(columnSchema).optional(),
  rows: z.array(z.array(z.unknown())).optional(),
  provider: z
    .string()
    .describe('Who answered: builtin (templates, no network) or openai-compatible'),
});

export type RunQueryInput = z.infer<typeof runQueryInput>;
export type RunQueryOutput = z.infer<typeof runQueryOutput>;
export type AskOutput = z.infer<typeof askOutput>;

const tags = ['analytics'];
const MINUTE = 60_000;

export const sqlMeta = {
  query: {
    rateLimit: { limit: 60, windowMs: MINUTE },
    openapi: {
      method: 'POST',
      path: '/analytics/query',
      tags,
      summary: 'Read-only SQL over views of this workspace’s data',
      description: `One SELECT (or WITH … SELECT) statement, read-only. It sees only these views, each already limited to your workspace (no workspace_id column):

${describeViewsMarkdown()}

Functions: aggregates, window, math, string, date/time, JSON and array functions (no system, file, network, sleep or settings functions); casts to ordinary types. Not allowed: several statements, writes or DDL (also inside WITH), WITH RECURSIVE, FOR UPDATE/SHARE, SELECT INTO, catalog tables (pg_*, information_schema), schema-qualified names. Each result column needs a distinct name. Times are in UTC. The statement runs in a READ ONLY transaction as a role that can read only those views, for at most SQL_STATEMENT_TIMEOUT_MS (5 s by default); on the embedded database, statements the planner expects to exceed that are refused up front. Any refusal is a 400 naming the problem, and nothing is changed.`,
    },
  },
  ask: {
    rateLimit: { limit: 30, windowMs: MINUTE },
    openapi: {
      method: 'POST',
      path: '/analytics/ask',
      tags,
      summary: 'A question about this workspace’s data, in plain language',
      description:
        'Built-in templates answer common questions with no network: revenue today / yesterday / this week, orders, top event types, top products, conversion rate and its trend, active users, events per hour (purchases and page views are the event types set in analytics settings). An unrecognised question gets a 200 listing what can be asked. With LLM_BASE_URL configured, an OpenAI-compatible model answers the rest; its SQL goes through the same checks as analytics.query. A model that fails answers 502, one that is too slow 504.',
    },
  },
} satisfies Record<string, PulseMeta>;
