import { z } from 'zod';
import { timestampSchema } from '../../fields.js';
import { AGGREGATE_FNS } from '../../metrics/metrics.contract.js';
import type { PulseMeta } from '../../trpc.js';
import { atSchema, windowSchema } from './commerce.contract.js';

/** Enough for two days of 5-minute windows (daily seasonality) in one request. */
export const MAX_WINDOWS = 2_000;

export const seriesSchema = z
  .string()
  .min(1)
  .max(207)
  .regex(
    /^(event:.{1,100}|(metric:)?[A-Za-z0-9_.:-]{1,200})$/s,
    'must be conversion, revenue, orders, active_users, event:<type>, or a metric name',
  )
  .describe(
    'conversion | revenue | orders | active_users | event:<type> (events of that type) | a metric name (metric:<name> when it clashes with the others)',
  );

const seriesFields = {
  series: seriesSchema,
  window: windowSchema.default('1h'),
  fn: z
    .enum(AGGREGATE_FNS)
    .default('avg')
    .describe('Metric series only: the aggregate per window (default avg)'),
  at: atSchema,
};

const windowCount = (fallback: number, what: string) =>
  z.number().int().min(2).max(MAX_WINDOWS).default(fallback).describe(what);

export const trendInput = z.strictObject({
  ...seriesFields,
  limit: windowCount(24, `Closed windows in the series (2–${MAX_WINDOWS})`),
});

export const anomaliesInput = z.strictObject({
  ...seriesFields,
  limit: windowCount(48, `Closed windows examined (2–${MAX_WINDOWS})`),
  lookback: z
    .number()
    .int()
    .min(3)
    .max(500)
    .default(12)
    .describe('Trailing windows forming each point’s baseline (the point itself excluded)'),
  threshold: z.number().min(0.5).max(100).default(3).describe('|score| above this is flagged'),
  method: z.enum(['zscore', 'robust', 'both']).default('both'),
});

export const forecastInput = z.strictObject({
  ...seriesFields,
  limit: windowCount(168, `Closed windows of history to fit (2–${MAX_WINDOWS})`),
  horizon: z.number().int().min(1).max(500).default(12).describe('Windows to predict'),
  period: z
    .number()
    .int()
    .min(2)
    .max(MAX_WINDOWS)
    .optional()
    .describe('Windows per season; default a day (1m, 5m, 1h) or a week (1d)'),
  holdout: z
    .number()
    .int()
    .min(1)
    .max(MAX_WINDOWS)
    .optional()
    .describe('Windows held out for the back-test; default min(horizon, a quarter of history)'),
  confidence: z.number().min(0.5).max(0.999).default(0.95).describe('Prediction interval level'),
});

const pointSchema = z.object({
  start: timestampSchema.describe('Window start'),
  value: z.number().nullable().describe('null: a metric without points in this window'),
});

const seriesHeader = {
  series: z.string(),
  kind: z.enum(['conversion', 'revenue', 'orders', 'active_users', 'event', 'metric']),
  window: windowSchema,
  points: z.array(pointSchema).describe('Closed windows, oldest first'),
};

export const trendOutput = z
  .object({
    ...seriesHeader,
    summary: z.object({
      mean: z.number(),
      slope: z.number().describe('Least-squares change per window'),
      change: z.number().nullable().describe('slope × (span in windows) / |mean|'),
      direction: z.enum(['up', 'down', 'flat']),
      threshold: z.number().describe('|change| below this is flat'),
    }),
  })
  .meta({ id: 'Trend' });

const scored = { score: z.number().nullable(), anomaly: z.boolean() };

export const anomaliesOutput = z
  .object({
    ...seriesHeader,
    method: z.enum(['zscore', 'robust', 'both']),
    lookback: z.number().int(),
    threshold: z.number(),
    scores: z.array(
      z.object({
        start: timestampSchema,
        value: z.number().nullable(),
        zscore: z.object({ mean: z.number(), stddev: z.number(), ...scored }).nullable(),
        robust: z
          .object({
            median: z.number(),
            mad: z.number().describe('Unscaled MAD'),
            scale: z
              .number()
              .describe('1.4826 × mad; 1.2533 × mean absolute deviation if mad is 0'),
            ...scored,
          })
          .nullable(),
      }),
    ),
    anomalies: z.array(
      z.object({
        start: timestampSchema,
        value: z.number(),
        method: z.enum(['zscore', 'robust']),
        score: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'Anomalies' });

export const forecastOutput = z
  .object({
    ...seriesHeader,
    model: z.enum(['linear', 'linear+seasonal']),
    period: z.number().int().nullable().describe('Windows per season when seasonal'),
    trend: z.object({ intercept: z.number(), slope: z.number() }),
    seasonal: z.array(z.number()).nullable().describe('Additive index per phase'),
    residualStddev: z.number(),
    confidence: z.number(),
    forecast: z.array(
      z.object({ start: timestampSchema, value: z.number(), lower: z.number(), upper: z.number() }),
    ),
    backtest: z
      .object({
        holdout: z.number().int(),
        model: z.enum(['linear', 'linear+seasonal']),
        mae: z.number(),
        mape: z.number().nullable().describe('Percent, over held-out windows with a value ≠ 0'),
      })
      .nullable(),
  })
  .meta({ id: 'Forecast' });

export type TrendInput = z.infer<typeof trendInput>;
export type TrendOutput = z.infer<typeof trendOutput>;
export type AnomaliesInput = z.infer<typeof anomaliesInput>;
export type AnomaliesOutput = z.infer<typeof anomaliesOutput>;
export type ForecastInput = z.infer<typeof forecastInput>;
export type ForecastOutput = z.infer<typeof forecastOutput>;
export type SeriesPoint = z.infer<typeof pointSchema>;
export type SeriesKind = (typeof seriesHeader.kind.options)[number];

const tags = ['analytics'];
const seriesNote =
  'Series: conversion (purchaseUsers / viewUsers per window), revenue, orders, active_users, event:<type> (count), or a metric (its `fn` per window, avg by default). Only closed windows.';

export const seriesMeta = {
  trend: {
    openapi: {
      method: 'GET',
      path: '/analytics/trends/{series}',
      tags,
      summary: 'A series of closed windows with mean, least-squares slope and direction',
      description: seriesNote,
    },
  },
  anomalies: {
    openapi: {
      method: 'GET',
      path: '/analytics/anomalies/{series}',
      tags,
      summary: 'Rolling z-scores and robust (median/MAD) scores, with the flagged windows',
      description: `${seriesNote} Each window is scored against the \`lookback\` windows before it (itself excluded; at least 3). The robust score divides by 1.4826 × MAD, so one spike does not hide the next.`,
    },
  },
  forecast: {
    openapi: {
      method: 'GET',
      path: '/analytics/forecast/{series}',
      tags,
      summary: 'The next windows with a prediction interval, and a back-tested error',
      description: `${seriesNote} Model: least-squares trend, plus additive seasonal indices when the history covers at least two seasons; normal prediction intervals.`,
    },
  },
} satisfies Record<string, PulseMeta>;
