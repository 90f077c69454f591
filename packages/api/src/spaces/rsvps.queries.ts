import type { RsvpStatus, WorkspaceScope } from '@pulse/db';
import type { KeyCursor } from './spaces.cursor.js';

function rsvpsWithMember(scope: WorkspaceScope) {
  return scope
    .selectFrom('rsvps')
    .innerJoin('members', (join) =>
      join
        .onRef('members.workspace_id', '=', 'rsvps.workspace_id')
        .onRef('members.id', '=', 'rsvps.member_id'),
    )
    .select([
      'rsvps.gathering_id',
      'rsvps.member_id',
      'members.name as member_name',
      'rsvps.status',
      'rsvps.created_at',
      'rsvps.updated_at',
    ]);
}

export function findRsvp(scope: WorkspaceScope, gatheringId: string, memberId: string) {
  return rsvpsWithMember(scope)
    .where('rsvps.gathering_id', '=', gatheringId)
    .where('rsvps.member_id', '=', memberId)
    .executeTakeFirst();
}

export async function upsertRsvp(
  scope: WorkspaceScope,
  gatheringId: string,
  memberId: string,
  status: RsvpStatus,
  at: Date,
): Promise<void> {
  await scope
    // Stamped here, in milliseconds, so list cursors (JavaScript times) match rows exactly.
    .insertInto('rsvps', {
      gathering_id: gatheringId,
      member_id: memberId,
      status,
      created_at: at,
      updated_at: at,
    })
    .onConflict((conflict) =>
      conflict
        .columns(['workspace_id', 'gathering_id', 'member_id'])
        .doUpdateSet({ status, updated_at: at }),
    )
    .execute();
}

/** Oldest first: who answered first. */
export function listRsvps(
  scope: WorkspaceScope,
  filters: { gatheringId: string; status?: RsvpStatus },
  page: { limit: number; after?: KeyCursor<string> },
) {
  let query = rsvpsWithMember(scope)
    .where('rsvps.gathering_id', '=', filters.gatheringId)
    .orderBy('rsvps.created_at')
    .orderBy('rsvps.member_id')
    .limit(page.limit + 1);
  if (filters.status) query = query.where('rsvps.status', '=', filters.status);
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      eb(
        eb.refTuple('rsvps.created_at', 'rsvps.member_id'),
        '>',
        eb.tuple(new Date(after.key), after.id),
      ),
    );
  }
  return query.execute();
}

export type RsvpRow = NonNullable<Awaited<ReturnType<typeof findRsvp>>>;
