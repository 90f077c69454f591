import { workspaceProcedure } from '../procedures.js';
import { router } from '../trpc.js';
import { eventsFeedInput, metricsFeedInput, overviewFeedInput } from './live.contract.js';
import { followFloorPulse } from './live.floor-pulse.js';
import { insightsFeedInput } from './live.insights.contract.js';
import { followInsights } from './live.insights.js';
import * as live from './live.service.js';
import { floorPulseFeedInput, towerFeedInput } from './live.tower.contract.js';
import { followTower } from './live.tower.js';

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
  tower: reader
    .input(towerFeedInput)
    .subscription(({ ctx, input, signal }) => followTower(ctx, input, signal)),
  floorPulse: reader
    .input(floorPulseFeedInput)
    .subscription(({ ctx, input, signal }) => followFloorPulse(ctx, input, signal)),
  insights: reader
    .input(insightsFeedInput)
    .subscription(({ ctx, input, signal }) => followInsights(ctx, input, signal)),
});
