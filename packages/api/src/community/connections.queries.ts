import type { WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';
import type { KeyCursor } from '../spaces/spaces.cursor.js';

/** The pair as stored: smaller id first (uuid order is the order of their hex text). */
export function orderedPair(one: string, other: string): [string, string] {
  const [a, b] = [one.toLowerCase(), other.toLowerCase()];
  return a < b ? [a, b] : [b, a];
}

/** The members connected to `memberId`, by name. */
export function listConnections(
  scope: WorkspaceScope,
  memberId: string,
  page: { limit: number; after?: KeyCursor<string>; otherMemberId?: string },
) {
  let query = scope
    .selectFrom('member_connections')
    .innerJoin('members', (join) =>
      join.onRef('members.workspace_id', '=', 'member_connections.workspace_id').on(
        sql<boolean>`members.id = case when member_connections.member_a = ${memberId}
            then member_connections.member_b else member_connections.member_a end`,
      ),
    )
    .select(['members.id', 'members.name', 'members.headline', 'member_connections.created_at'])
    .where((eb) =>
      eb.or([
        eb('member_connections.member_a', '=', memberId),
        eb('member_connections.member_b', '=', memberId),
      ]),
    )
    .orderBy('members.name')
    .orderBy('members.id')
    .limit(page.limit + 1);
  if (page.otherMemberId) query = query.where('members.id', '=', page.otherMemberId);
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      eb(eb.refTuple('members.name', 'members.id'), '>', eb.tuple(after.key, after.id)),
    );
  }
  return query.execute();
}

/** Answers whether the pair is new. */
export async function insertConnection(scope: WorkspaceScope, one: string, other: string) {
  const [a, b] = orderedPair(one, other);
  const rows = await scope
    .insertInto('member_connections', { member_a: a, member_b: b })
    .onConflict((conflict) => conflict.doNothing())
    .returning('member_a')
    .execute();
  return rows.length > 0;
}

export async function deleteConnection(scope: WorkspaceScope, one: string, other: string) {
  const [a, b] = orderedPair(one, other);
  const result = await scope
    .deleteFrom('member_connections')
    .where('member_a', '=', a)
    .where('member_b', '=', b)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export type ConnectionRow = Awaited<ReturnType<typeof listConnections>>[number];
