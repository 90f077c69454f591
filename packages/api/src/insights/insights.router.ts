import { workspaceProcedure } from '../procedures.js';
import { router } from '../trpc.js';
import { insightsInput, insightsMeta, insightsOutput } from './insights.contract.js';
import { listInsights } from './insights.service.js';
import { revenueInput, revenueMeta, revenueOutput } from './revenue.contract.js';
import { revenueInsights } from './revenue.service.js';
import { statsInput, statsMeta, statsOutput } from './stats.contract.js';
import { workspaceStats } from './stats.service.js';

const readAccess = workspaceProcedure({ role: 'viewer', keyScope: 'read' });

export const insightsRouter = router({
  list: readAccess
    .meta(insightsMeta.list)
    .input(insightsInput)
    .output(insightsOutput)
    .query(({ ctx, input }) => listInsights(ctx, input?.window ?? '1d')),
  revenue: readAccess
    .meta(revenueMeta.revenue)
    .input(revenueInput)
    .output(revenueOutput)
    .query(({ ctx, input }) => revenueInsights(ctx, input)),
  stats: readAccess
    .meta(statsMeta.stats)
    .input(statsInput)
    .output(statsOutput)
    .query(({ ctx }) => workspaceStats(ctx)),
});
