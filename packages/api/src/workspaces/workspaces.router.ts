import { roleProcedure } from '../procedures.js';
import { router } from '../trpc.js';
import {
  auditLogInput,
  auditLogOutput,
  inviteInput,
  inviteOutput,
  membersInput,
  membersOutput,
  setRoleInput,
  setRoleOutput,
  workspacesMeta,
} from './workspaces.contract.js';
import * as workspaces from './workspaces.service.js';

export const workspacesRouter = router({
  members: roleProcedure('viewer')
    .meta(workspacesMeta.members)
    .input(membersInput)
    .output(membersOutput)
    .query(({ ctx, input }) => workspaces.members(ctx, input)),
  invite: roleProcedure('admin')
    .meta(workspacesMeta.invite)
    .input(inviteInput)
    .output(inviteOutput)
    .mutation(({ ctx, input }) => workspaces.invite(ctx, input)),
  setRole: roleProcedure('admin')
    .meta(workspacesMeta.setRole)
    .input(setRoleInput)
    .output(setRoleOutput)
    .mutation(({ ctx, input }) => workspaces.setRole(ctx, input)),
  auditLog: roleProcedure('admin')
    .meta(workspacesMeta.auditLog)
    .input(auditLogInput)
    .output(auditLogOutput)
    .query(({ ctx, input }) => workspaces.auditLog(ctx, input)),
});
