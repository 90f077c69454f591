import { adminRouter } from './admin/admin.router.js';
import { analyticsRouter } from './analytics/analytics.router.js';
import { apiKeysRouter } from './api-keys/api-keys.router.js';
import { assistantRouter } from './assistant/assistant.router.js';
import { authRouter } from './auth/auth.router.js';
import { communityRouter } from './community/community.router.js';
import { eventsRouter } from './events/events.router.js';
import { historyRouter } from './history/history.router.js';
import { insightsRouter } from './insights/insights.router.js';
import { liveRouter } from './live/live.router.js';
import { metricsRouter } from './metrics/metrics.router.js';
import { revenueRouter } from './revenue/revenue.router.js';
import { spacesRouter } from './spaces/spaces.router.js';
import { systemRouter } from './system/system.router.js';
import { router } from './trpc.js';
import { usersRouter } from './users/users.router.js';
import { workspacesRouter } from './workspaces/workspaces.router.js';

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  workspaces: workspacesRouter,
  apiKeys: apiKeysRouter,
  events: eventsRouter,
  metrics: metricsRouter,
  live: liveRouter,
  analytics: analyticsRouter,
  insights: insightsRouter,
  history: historyRouter,
  spaces: spacesRouter,
  community: communityRouter,
  revenue: revenueRouter,
  assistant: assistantRouter,
  admin: adminRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
