import { router } from '../trpc.js';

export const insightsRouter = router({});
