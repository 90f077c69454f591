import type { UserContext, WorkspaceContext } from '../auth/caller.js';
import { PulseError } from '../errors.js';
import { findFloor } from '../spaces/buildings.queries.js';
import { actsForAnyone, notFound } from '../spaces/spaces.access.js';
import { decodeKeyCursor, keyPage } from '../spaces/spaces.cursor.js';
import { afterWrite, isUniqueViolation } from '../spaces/spaces.effects.js';
import { iso, normalizeTags } from '../spaces/spaces.fields.js';
import type {
  CreateMemberInput,
  ListMembersInput,
  MemberDto,
  UpdateMyMemberInput,
} from './members.contract.js';
import {
  deleteMember,
  findMember,
  findMemberByUser,
  insertMember,
  listMembers,
  type MemberPatch,
  type MemberRow,
  updateMember,
  userBelongsToWorkspace,
} from './members.queries.js';

export async function listWorkspaceMembers(ctx: WorkspaceContext, input: ListMembersInput) {
  const rows = await listMembers(
    ctx.scope,
    {
      interest: input.interest?.toLowerCase(),
      homeFloorId: input.homeFloorId,
      search: input.search,
    },
    { limit: input.limit, after: decodeKeyCursor(input.cursor, 'string') },
  );
  return keyPage(rows, input.limit, memberDto, (row) => ({ key: row.name, id: row.id }));
}

export async function getMember(ctx: WorkspaceContext, id: string): Promise<MemberDto> {
  const row = await findMember(ctx.scope, id);
  if (!row) throw notFound('member');
  return memberDto(row);
}

export async function createMember(
  ctx: WorkspaceContext,
  input: CreateMemberInput,
): Promise<MemberDto> {
  if (input.userId && !(await userBelongsToWorkspace(ctx.scope, input.userId))) {
    throw new PulseError('NOT_FOUND', 'No user with this id in your workspace', {
      field: 'userId',
    });
  }
  const patch = await profilePatch(ctx, input);
  const row = await insertMember(ctx.scope, {
    name: input.name,
    ...patch,
    user_id: input.userId ?? null,
    ...(input.joinedAt ? { joined_at: input.joinedAt } : {}),
  }).catch((error: unknown) => {
    if (isUniqueViolation(error)) {
      throw new PulseError('ALREADY_EXISTS', 'This user already has a member profile', {
        field: 'userId',
      });
    }
    throw error;
  });
  await afterWrite(ctx, { topics: ['community'] });
  return memberDto(row);
}

/** Admins change anyone's profile; members only their own. */
export async function updateMemberProfile(
  ctx: UserContext,
  input: UpdateMyMemberInput & { id: string },
): Promise<MemberDto> {
  const existing = await findMember(ctx.scope, input.id);
  if (!existing) throw notFound('member');
  if (!actsForAnyone(ctx.caller) && existing.user_id !== ctx.caller.userId) {
    throw new PulseError('FORBIDDEN', 'Members may change only their own profile', { field: 'id' });
  }
  return saveProfile(ctx, existing, input);
}

export async function getMyMember(ctx: UserContext): Promise<MemberDto> {
  const row = await findMemberByUser(ctx.scope, ctx.caller.userId);
  if (!row) {
    throw new PulseError(
      'NOT_FOUND',
      'You have no member profile yet: create it with PATCH /community/members/me',
    );
  }
  return memberDto(row);
}

/** Creates the caller's profile on first save (named after the account unless told). */
export async function updateMyMember(
  ctx: UserContext,
  input: UpdateMyMemberInput,
): Promise<MemberDto> {
  const existing = await findMemberByUser(ctx.scope, ctx.caller.userId);
  if (existing) return saveProfile(ctx, existing, input);
  return createMember(ctx, {
    ...input,
    name: input.name ?? ctx.caller.name,
    userId: ctx.caller.userId,
  });
}

export async function removeMember(ctx: WorkspaceContext, id: string) {
  if (!(await deleteMember(ctx.scope, id))) throw notFound('member');
  await afterWrite(ctx, { topics: ['community', 'spaces'] });
  return { deleted: true as const };
}

async function saveProfile(
  ctx: WorkspaceContext,
  existing: MemberRow,
  input: UpdateMyMemberInput,
): Promise<MemberDto> {
  const patch = await profilePatch(ctx, input);
  const row = Object.keys(patch).length
    ? await updateMember(ctx.scope, existing.id, patch)
    : existing;
  if (!row) throw notFound('member');
  await afterWrite(ctx, { topics: ['community'] });
  return memberDto(row);
}

async function profilePatch(ctx: WorkspaceContext, input: UpdateMyMemberInput) {
  if (input.homeFloorId && !(await findFloor(ctx.scope, input.homeFloorId))) {
    throw notFound('floor', 'homeFloorId');
  }
  const patch: MemberPatch = {};
  if (input.name !== undefined) patch.name = input.name;
  if (input.headline !== undefined) patch.headline = input.headline || null;
  if (input.bio !== undefined) patch.bio = input.bio || null;
  if (input.interests !== undefined) patch.interests = normalizeTags(input.interests);
  if (input.homeFloorId !== undefined) patch.home_floor_id = input.homeFloorId;
  return patch;
}

export function memberDto(row: MemberRow): MemberDto {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    headline: row.headline,
    bio: row.bio,
    interests: row.interests,
    homeFloorId: row.home_floor_id,
    joinedAt: iso(row.joined_at),
  };
}
