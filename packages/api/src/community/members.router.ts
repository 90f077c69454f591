import { z } from 'zod';
import { roleProcedure } from '../procedures.js';
import { manageAccess, memberAccess, readAccess } from '../spaces/spaces.access.js';
import { router } from '../trpc.js';
import {
  createMemberInput,
  deletedOutput,
  listMembersInput,
  listMembersOutput,
  memberIdInput,
  memberSchema,
  membersMeta,
  updateMemberInput,
  updateMyMemberInput,
} from './members.contract.js';
import * as members from './members.service.js';

const signedIn = roleProcedure('viewer');

// `me` comes before `get`: the REST adapter matches paths in this order, and /members/me
// would otherwise reach the {id} route.
export const membersRouter = router({
  me: signedIn
    .meta(membersMeta.me)
    .input(z.void())
    .output(memberSchema)
    .query(({ ctx }) => members.getMyMember(ctx)),
  updateMe: memberAccess
    .meta(membersMeta.updateMe)
    .input(updateMyMemberInput)
    .output(memberSchema)
    .mutation(({ ctx, input }) => members.updateMyMember(ctx, input)),
  list: readAccess
    .meta(membersMeta.list)
    .input(listMembersInput)
    .output(listMembersOutput)
    .query(({ ctx, input }) => members.listWorkspaceMembers(ctx, input)),
  create: manageAccess
    .meta(membersMeta.create)
    .input(createMemberInput)
    .output(memberSchema)
    .mutation(({ ctx, input }) => members.createMember(ctx, input)),
  get: readAccess
    .meta(membersMeta.get)
    .input(memberIdInput)
    .output(memberSchema)
    .query(({ ctx, input }) => members.getMember(ctx, input.id)),
  update: memberAccess
    .meta(membersMeta.update)
    .input(updateMemberInput)
    .output(memberSchema)
    .mutation(({ ctx, input }) => members.updateMemberProfile(ctx, input)),
  delete: manageAccess
    .meta(membersMeta.delete)
    .input(memberIdInput)
    .output(deletedOutput)
    .mutation(({ ctx, input }) => members.removeMember(ctx, input.id)),
});
