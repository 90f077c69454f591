import { z } from 'zod';
import { timestampSchema } from '../fields.js';
import type { PulseMeta } from '../trpc.js';

/** The versioned tables: every change to them is recorded by migration 0005's trigger. */
export const VERSIONED_TABLES = ['event_rollups', 'metric_rollups'] as const;
export type VersionedTable = (typeof VERSIONED_TABLES)[number];

const tableSchema = z
  .enum(VERSIONED_TABLES)
  .describe('A versioned table: event_rollups or metric_rollups');

const cursorSchema = z.string().max(2000).optional().describe('`nextCursor` of the previous page');

export const listVersionsInput = z.strictObject({
  table: tableSchema,
  limit: z.number().int().min(1).max(200).default(50).describe('Versions per page (1–200)'),
  cursor: cursorSchema,
});

export const versionSchema = z
  .object({
    version: z.number().int().describe('Increases by one per committed change of this table'),
    recordedAt: timestampSchema,
    operation: z
      .string()
      .describe(
        'Statement kinds in the change: insert, update, delete joined by + (a rollup run is usually insert+update), or snapshot for rows that predate versioning',
      ),
    rowsAffected: z.number().int(),
    rowsInserted: z.number().int(),
    rowsUpdated: z.number().int(),
    rowsDeleted: z.number().int(),
  })
  .meta({ id: 'TableVersion' });

export const listVersionsOutput = z.object({
  table: tableSchema,
  items: z.array(versionSchema).describe('Newest first'),
  nextCursor: z.string().nullable(),
});

export const tableAtInput = z
  .strictObject({
    table: tableSchema,
    version: z
      .number()
      .int()
      .min(1)
      .max(Number.MAX_SAFE_INTEGER)
      .optional()
      .describe('Read the table as this version left it'),
    asOf: timestampSchema.optional().describe('Read the table as it was at this instant'),
    limit: z.number().int().min(1).max(1000).default(100).describe('Rows per page (1–1000)'),
    cursor: cursorSchema,
  })
  .superRefine((input, ctx) => {
    if (input.version !== undefined && input.asOf !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['asOf'], message: 'give either version or asOf' });
    }
  });

export const tableAtOutput = z.object({
  table: tableSchema,
  version: versionSchema.describe('The version read'),
  rows: z
    .array(z.record(z.string(), z.unknown()))
    .describe('Rows as they were (without workspace_id), ordered by their key'),
  nextCursor: z.string().nullable(),
});

export type ListVersionsInput = z.infer<typeof listVersionsInput>;
export type TableAtInput = z.infer<typeof tableAtInput>;
export type TableVersion = z.infer<typeof versionSchema>;

const tags = ['history'];

export const historyMeta = {
  versions: {
    openapi: {
      method: 'GET',
      path: '/history/{table}',
      tags,
      summary: 'The versions of a rollup table in this workspace, newest first',
      description:
        'Every committed change of event_rollups or metric_rollups (each rollup run) is one version. History is kept for HISTORY_RETENTION_DAYS (30 by default); the newest version is always kept.',
    },
  },
  at: {
    openapi: {
      method: 'GET',
      path: '/history/{table}/data',
      tags,
      summary: 'A rollup table exactly as it was at a version (or an instant)',
      description:
        '`version=N` reads the table as version N left it; `asOf=<ISO time>` reads the newest version recorded at or before then; neither reads the newest. Paginated by row key.',
    },
  },
} satisfies Record<string, PulseMeta>;
