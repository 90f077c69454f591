import { randomUUID } from 'node:crypto';
import type { Role, WorkspaceScope } from '@pulse/db';
import type { Context } from '../context.js';
import type { AuthSession } from './auth.contract.js';
import { insertRefreshToken } from './auth.queries.js';
import { digestToken } from './tokens.js';

export interface SessionAccount {
  userId: string;
  email: string;
  name: string;
  role: Role;
  workspaceId: string;
  workspaceName: string;
}

/**
 * Issues an access token and a refresh token; the refresh token's digest is stored in the
 * same transaction as whatever created the session. A new family starts unless one is given
 * (rotation continues the family so reuse of any ancestor can revoke all of it).
 */
export async function issueSession(
  ctx: Context,
  scope: WorkspaceScope,
  account: SessionAccount,
  familyId: string = randomUUID(),
): Promise<AuthSession> {
  const tokenId = randomUUID();
  const refresh = await ctx.tokens.signRefresh({
    tokenId,
    familyId,
    userId: account.userId,
    workspaceId: account.workspaceId,
  });
  await insertRefreshToken(scope, {
    id: tokenId,
    userId: account.userId,
    familyId,
    tokenHash: digestToken(refresh.token),
    expiresAt: refresh.expiresAt,
  });
  const access = await ctx.tokens.signAccess({
    userId: account.userId,
    workspaceId: account.workspaceId,
    role: account.role,
    familyId,
  });
  return {
    user: { id: account.userId, email: account.email, name: account.name },
    workspace: { id: account.workspaceId, name: account.workspaceName },
    role: account.role,
    accessToken: access.token,
    refreshToken: refresh.token,
    tokenType: 'Bearer',
    expiresIn: ctx.tokens.accessTokenTtlSec,
  };
}
