import type { WorkspaceContext } from '../auth/caller.js';
import { publishEvents } from '../live/live.publisher.js';
import type { EventDto } from './events.contract.js';

/**
 * Hands freshly stored events to the live feeds: one stream entry per batch. Runs after the
 * ingest transaction committed; a failure never fails the ingest (the events are stored).
 */
export function publishStoredEvents(ctx: WorkspaceContext, events: EventDto[]): Promise<void> {
  return publishEvents(ctx, ctx.scope.workspaceId, events);
}
