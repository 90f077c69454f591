import { z } from 'zod';
import { roleProcedure, workspaceProcedure } from '../../procedures.js';
import { router } from '../../trpc.js';
import {
  commerceMeta,
  kpisInput,
  kpisOutput,
  settingsInput,
  settingsSchema,
  userFeaturesInput,
  userFeaturesOutput,
} from './commerce.contract.js';
import { computeKpis } from './kpis.service.js';
import {
  anomaliesInput,
  anomaliesOutput,
  forecastInput,
  forecastOutput,
  seriesMeta,
  trendInput,
  trendOutput,
} from './series.contract.js';
import { atOf } from './series.js';
import { computeTrend, detectAnomalies, forecastSeries } from './series.service.js';
import { getCommerceSettings, setCommerceSettings } from './settings.service.js';
import { computeUserFeatures } from './user-features.service.js';

const readAccess = workspaceProcedure({ role: 'viewer', keyScope: 'read' });

/** Procedures of `analytics`; analytics.router.ts merges them into one namespace. */
export const commerceProcedures = {
  settings: router({
    get: readAccess
      .meta(commerceMeta.getSettings)
      .input(z.void())
      .output(settingsSchema)
      .query(({ ctx }) => getCommerceSettings(ctx)),
    set: roleProcedure('admin')
      .meta(commerceMeta.setSettings)
      .input(settingsInput)
      .output(settingsSchema)
      .mutation(({ ctx, input }) => setCommerceSettings(ctx, input)),
  }),
  kpis: readAccess
    .meta(commerceMeta.kpis)
    .input(kpisInput)
    .output(kpisOutput)
    .query(({ ctx, input }) => computeKpis(ctx, input.window, atOf(input.at))),
  trend: readAccess
    .meta(seriesMeta.trend)
    .input(trendInput)
    .output(trendOutput)
    .query(({ ctx, input }) => computeTrend(ctx, input)),
  userFeatures: readAccess
    .meta(commerceMeta.userFeatures)
    .input(userFeaturesInput)
    .output(userFeaturesOutput)
    .query(({ ctx, input }) => computeUserFeatures(ctx, input.userId)),
  anomalies: readAccess
    .meta(seriesMeta.anomalies)
    .input(anomaliesInput)
    .output(anomaliesOutput)
    .query(({ ctx, input }) => detectAnomalies(ctx, input)),
  forecast: readAccess
    .meta(seriesMeta.forecast)
    .input(forecastInput)
    .output(forecastOutput)
    .query(({ ctx, input }) => forecastSeries(ctx, input)),
};
