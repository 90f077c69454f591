import { router } from '../trpc.js';

export const spacesRouter = router({});
