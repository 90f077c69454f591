import { router } from '../trpc.js';

export const revenueRouter = router({});
