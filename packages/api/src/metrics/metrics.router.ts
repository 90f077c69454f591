import { workspaceProcedure } from '../procedures.js';
import { router } from '../trpc.js';
import { aggregateMetrics } from './metrics.aggregate.js';
import {
  aggregateMetricsInput,
  aggregateMetricsOutput,
  getMetricInput,
  latestMetricInput,
  latestMetricOutput,
  listMetricsInput,
  listMetricsOutput,
  metricPointSchema,
  metricsMeta,
  recordMetricBatchInput,
  recordMetricBatchOutput,
  recordMetricsInput,
  recordMetricsOutput,
} from './metrics.contract.js';
import { parseTagFilters } from './metrics.filters.js';
import { latestMetric } from './metrics.latest.js';
import * as metrics from './metrics.service.js';

const ingestAccess = workspaceProcedure({ role: 'member', keyScope: 'ingest' });
const readAccess = workspaceProcedure({ role: 'viewer', keyScope: 'read' });

export const metricsRouter = router({
  record: ingestAccess
    .meta(metricsMeta.record)
    .input(recordMetricsInput)
    .output(recordMetricsOutput)
    .mutation(({ ctx, input }) => metrics.recordMetrics(ctx, input)),
  recordBatch: ingestAccess
    .meta(metricsMeta.recordBatch)
    .input(recordMetricBatchInput)
    .output(recordMetricBatchOutput)
    .mutation(({ ctx, input }) => metrics.recordMetricBatch(ctx, input.points)),
  list: readAccess
    .meta(metricsMeta.list)
    .input(listMetricsInput)
    .output(listMetricsOutput)
    .query(({ ctx, input }) => metrics.listMetrics(ctx, input)),
  get: readAccess
    .meta(metricsMeta.get)
    .input(getMetricInput)
    .output(metricPointSchema)
    .query(({ ctx, input }) => metrics.getMetric(ctx, input.id)),
  aggregate: readAccess
    .meta(metricsMeta.aggregate)
    .input(aggregateMetricsInput)
    .output(aggregateMetricsOutput)
    .query(({ ctx, input }) => aggregateMetrics(ctx, input)),
  latest: readAccess
    .meta(metricsMeta.latest)
    .input(latestMetricInput)
    .output(latestMetricOutput)
    .query(({ ctx, input }) => latestMetric(ctx, input.name, parseTagFilters(input.tags, 'tags'))),
});
