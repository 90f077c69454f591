import type { ScopedInsert, WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';
import type { KeyCursor } from '../spaces/spaces.cursor.js';

const MEMBER_COLUMNS = [
  'id',
  'user_id',
  'name',
  'headline',
  'bio',
  'interests',
  'home_floor_id',
  'joined_at',
] as const;

export function findMember(scope: WorkspaceScope, id: string) {
  return scope.selectFrom('members').select(MEMBER_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export function findMemberByUser(scope: WorkspaceScope, userId: string) {
  return scope
    .selectFrom('members')
    .select(MEMBER_COLUMNS)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function userBelongsToWorkspace(scope: WorkspaceScope, userId: string) {
  const row = await scope
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

export interface MemberFilters {
  interest?: string;
  homeFloorId?: string;
  search?: string;
}

/** By name, then id. The interest filter is answered by the GIN index on interests. */
export function listMembers(
  scope: WorkspaceScope,
  filters: MemberFilters,
  page: { limit: number; after?: KeyCursor<string> },
) {
  let query = scope
    .selectFrom('members')
    .select(MEMBER_COLUMNS)
    .orderBy('name')
    .orderBy('id')
    .limit(page.limit + 1);
  if (filters.interest) {
    query = query.where(sql<boolean>`interests @> array[${filters.interest}]::text[]`);
  }
  if (filters.homeFloorId) query = query.where('home_floor_id', '=', filters.homeFloorId);
  if (filters.search) {
    query = query.where(sql<boolean>`strpos(lower(name), lower(${filters.search})) > 0`);
  }
  const after = page.after;
  if (after) {
    query = query.where((eb) => eb(eb.refTuple('name', 'id'), '>', eb.tuple(after.key, after.id)));
  }
  return query.execute();
}

export function insertMember(scope: WorkspaceScope, values: ScopedInsert<'members'>) {
  return scope.insertInto('members', values).returning(MEMBER_COLUMNS).executeTakeFirstOrThrow();
}

export type MemberPatch = Partial<
  Pick<ScopedInsert<'members'>, 'name' | 'headline' | 'bio' | 'interests' | 'home_floor_id'>
>;

export function updateMember(scope: WorkspaceScope, id: string, patch: MemberPatch) {
  return scope
    .updateTable('members')
    .set(patch)
    .where('id', '=', id)
    .returning(MEMBER_COLUMNS)
    .executeTakeFirst();
}

export async function deleteMember(scope: WorkspaceScope, id: string): Promise<boolean> {
  const result = await scope.deleteFrom('members').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Locks the member row so a person's concurrent check-ins run one after the other. */
export function lockMember(scope: WorkspaceScope, id: string) {
  return scope
    .selectFrom('members')
    .select('id')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export type MemberRow = NonNullable<Awaited<ReturnType<typeof findMember>>>;
