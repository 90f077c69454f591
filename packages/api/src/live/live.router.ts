import { workspaceProcedure } from '../procedures.js';
import { router } from '../trpc.js';
import { eventsFeedInput, metricsFeedInput, overviewFeedInput } from './live.contract.js';
import * as live from './live.service.js';

const reader = workspaceProcedure({ role: 'viewer', keyScope: 'read' });

/** Subscriptions only: over WebSocket at /trpc, and as SSE under /api/v1/stream/*. */
export const liveRouter = router({
  events: reader
    .input(eventsFeedInput)
    .subscription(({ ctx, input, signal }) => live.followEvents(ctx, input, signal)),
  metrics: reader
    .input(metricsFeedInput)
    .subscription(({ ctx, input, signal }) => live.followMetrics(ctx, input, signal)),
  overview: reader
    .input(overviewFeedInput)
    .subscription(({ ctx, input, signal }) => live.followOverview(ctx, input, signal)),
});
