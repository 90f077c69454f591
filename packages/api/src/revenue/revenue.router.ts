import { workspaceProcedure } from '../procedures.js';
import { router } from '../trpc.js';
import {
  revenueOptimizationInput,
  revenueOptimizationMeta,
  revenueOptimizationOutput,
} from './revenue.contract.js';
import { revenueOptimization } from './revenue.service.js';

export const revenueRouter = router({
  optimization: workspaceProcedure({ role: 'viewer', keyScope: 'read' })
    .meta(revenueOptimizationMeta)
    .input(revenueOptimizationInput)
    .output(revenueOptimizationOutput)
    .query(({ ctx, input }) => revenueOptimization(ctx, input)),
});
