import { router } from '../trpc.js';

export const analyticsRouter = router({});
