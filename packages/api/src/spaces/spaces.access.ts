import type { Caller, WorkspaceContext } from '../auth/caller.js';
import { findMember, findMemberByUser } from '../community/members.queries.js';
import { PulseError } from '../errors.js';
import { roleProcedure, workspaceProcedure } from '../procedures.js';
import { hasAtLeast } from '../roles.js';

/** Anyone of the workspace, and read keys. */
export const readAccess = workspaceProcedure({ role: 'viewer', keyScope: 'read' });

/** Managing the building (floors, rooms, members, anyone's gatherings): admins and owners. */
export const manageAccess = roleProcedure('admin');

/** A person's own profile and hosted gatherings: signed-in members act for themselves. */
export const memberAccess = roleProcedure('member');

/**
 * A person's comings and goings (check-ins, RSVPs, bookings, connections): members act for
 * themselves; admins, and the ingest keys of door and kiosk systems, for anyone.
 */
export const activityAccess = workspaceProcedure({ role: 'member', keyScope: 'ingest' });

export function actsForAnyone(caller: Caller): boolean {
  return caller.kind === 'apiKey' || hasAtLeast(caller.role, 'admin');
}

/**
 * The member a request acts for: `requested` when the caller may act for anyone (it must
 * exist in this workspace), otherwise the caller's own profile, which `requested` may only
 * name again.
 */
export async function actingMemberId(
  ctx: WorkspaceContext,
  requested: string | undefined,
  field = 'memberId',
): Promise<string> {
  const { caller, scope } = ctx;
  if (requested && actsForAnyone(caller)) {
    if (!(await findMember(scope, requested))) {
      throw new PulseError('NOT_FOUND', 'No member with this id in your workspace', { field });
    }
    return requested;
  }
  if (caller.kind !== 'user') {
    throw new PulseError('VALIDATION_FAILED', 'is required when an API key calls', { field });
  }
  const own = await findMemberByUser(scope, caller.userId);
  if (!own) {
    throw new PulseError(
      'NOT_FOUND',
      'You have no member profile yet: create it with PATCH /community/members/me',
      { field },
    );
  }
  if (requested && requested !== own.id) {
    throw new PulseError('FORBIDDEN', 'Members act only for themselves', { field });
  }
  return own.id;
}

/**
 * Like actingMemberId for facts that may have no member (a gathering's host, a booking):
 * callers who act for anyone may pass null, and default to their own profile if they have one.
 */
export async function optionalActingMemberId(
  ctx: WorkspaceContext,
  requested: string | null | undefined,
  field: string,
): Promise<string | null> {
  if (actsForAnyone(ctx.caller) && !requested) {
    if (requested === null || ctx.caller.kind !== 'user') return null;
    return (await findMemberByUser(ctx.scope, ctx.caller.userId))?.id ?? null;
  }
  return actingMemberId(ctx, requested ?? undefined, field);
}

/** Members touch only rows that are theirs; admins and ingest keys any. */
export async function requireOwnerOrAdmin(
  ctx: WorkspaceContext,
  ownerMemberId: string | null,
  message: string,
): Promise<void> {
  const { caller } = ctx;
  if (actsForAnyone(caller) || caller.kind !== 'user') return;
  const own = await findMemberByUser(ctx.scope, caller.userId);
  if (!own || ownerMemberId !== own.id) throw new PulseError('FORBIDDEN', message, { field: 'id' });
}

export function notFound(what: string, field = 'id'): PulseError {
  return new PulseError('NOT_FOUND', `No ${what} with this id in your workspace`, { field });
}
