import { router } from '../trpc.js';

export const assistantRouter = router({});
