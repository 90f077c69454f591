import type { WorkspaceContext } from '../auth/caller.js';
import { invalidateTopic } from '../cached-read.js';
import type { EventDto } from '../events/events.contract.js';
import { publishStoredEvents } from '../events/events.publish.js';
import { announceSpaceActivity, type SpaceActivity } from './spaces.activity.js';

/** The cached-read topics a write can make stale: the building's, and the community graph's. */
export type SpacesTopic = 'spaces' | 'community';

export interface WriteEffects {
  topics: readonly SpacesTopic[];
  /** Pulse events the write stored in its transaction, for the live events feed. */
  events?: readonly EventDto[];
  activity?: readonly SpaceActivity[];
}

/** What every committed write owes the rest of the system: stale caches, live feeds. */
export async function afterWrite(ctx: WorkspaceContext, effects: WriteEffects): Promise<void> {
  const workspaceId = ctx.scope.workspaceId;
  await Promise.all(effects.topics.map((topic) => invalidateTopic(ctx, workspaceId, topic)));
  if (effects.events && effects.events.length > 0) {
    await publishStoredEvents(ctx, [...effects.events]);
  }
  for (const activity of effects.activity ?? []) await announceSpaceActivity(ctx, activity);
}

interface DatabaseErrorLike {
  code?: unknown;
  constraint?: unknown;
}

/** PostgreSQL's SQLSTATE for a broken unique constraint (pg and PGlite both carry it). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as DatabaseErrorLike | null;
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
