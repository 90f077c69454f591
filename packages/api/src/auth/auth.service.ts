import { type Role, scopeTo } from '@pulse/db';
import { recordAudit } from '../audit/audit.service.js';
import type { Context } from '../context.js';
import { PulseError } from '../errors.js';
import { findUserProfile, insertUser } from '../users/users.queries.js';
import type { AuthSession, LoginInput, RegisterInput } from './auth.contract.js';
import {
  claimInvite,
  findAccountsByEmail,
  findRefreshToken,
  insertWorkspace,
  markRefreshTokenRotated,
  revokeTokenFamily,
} from './auth.queries.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords.js';
import { issueSession } from './sessions.js';
import { digestToken } from './tokens.js';

const invalidCredentials = () =>
  new PulseError('INVALID_CREDENTIALS', 'Email or password is incorrect');

export async function register(ctx: Context, input: RegisterInput): Promise<AuthSession> {
  if (input.inviteCode && input.workspaceName) {
    throw new PulseError(
      'VALIDATION_FAILED',
      'Give workspaceName to create a workspace or inviteCode to join one, not both',
      {
        field: 'workspaceName',
      },
    );
  }
  const passwordHash = await hashPassword(input.password, ctx.config.auth.passwordHashCost);
  // One transaction: a taken email also gives the invite's use back and creates no workspace.
  return ctx.database.db.transaction().execute(async (trx) => {
    let workspace: { id: string; name: string };
    let role: Role;
    if (input.inviteCode) {
      const invite = await claimInvite(trx, digestToken(input.inviteCode));
      if (!invite) {
        throw new PulseError('INVITE_INVALID', 'This invite code is unknown, expired or used up', {
          field: 'inviteCode',
        });
      }
      workspace = await scopeTo(trx, invite.workspace_id)
        .selectWorkspace()
        .select(['id', 'name'])
        .executeTakeFirstOrThrow();
      role = invite.role;
    } else {
      workspace = await insertWorkspace(trx, input.workspaceName ?? `${input.name}'s workspace`);
      role = 'owner';
    }
    const scope = scopeTo(trx, workspace.id);
    const user = await insertUser(scope, {
      email: input.email,
      name: input.name,
      passwordHash,
      role,
    });
    if (!user) {
      throw new PulseError('EMAIL_TAKEN', 'This email is already registered in that workspace', {
        field: 'email',
      });
    }
    await recordAudit(ctx, scope, {
      actorUserId: user.id,
      action: input.inviteCode ? 'member.joined' : 'workspace.created',
      targetType: 'user',
      targetId: user.id,
      metadata: { role },
    });
    return issueSession(ctx, scope, {
      userId: user.id,
      email: user.email,
      name: user.name,
      role,
      workspaceId: workspace.id,
      workspaceName: workspace.name,
    });
  });
}

export async function login(ctx: Context, input: LoginInput): Promise<AuthSession> {
  const cost = ctx.config.auth.passwordHashCost;
  const accounts = await findAccountsByEmail(ctx.database.db, input.email, input.workspaceId);
  if (accounts.length === 0) {
    await burnPasswordCheck(input.password, cost);
    throw invalidCredentials();
  }
  const matching = [];
  for (const account of accounts) {
    if (await verifyPassword(input.password, account.password_hash)) matching.push(account);
  }
  const [account, ...others] = matching;
  if (!account) throw invalidCredentials();
  if (others.length > 0) {
    const choices = matching.map((a) => `${a.workspace_name} (${a.workspace_id})`).join(', ');
    throw new PulseError(
      'WORKSPACE_AMBIGUOUS',
      `This account exists in several workspaces; pass workspaceId, one of: ${choices}`,
      {
        field: 'workspaceId',
      },
    );
  }
  const scope = scopeTo(ctx.database.db, account.workspace_id);
  return scope.transaction(async (tx) => {
    await recordAudit(ctx, tx, {
      actorUserId: account.id,
      action: 'auth.login',
      targetType: 'user',
      targetId: account.id,
    });
    return issueSession(ctx, tx, {
      userId: account.id,
      email: account.email,
      name: account.name,
      role: account.role,
      workspaceId: account.workspace_id,
      workspaceName: account.workspace_name,
    });
  });
}

/**
 * Rotates a refresh token. Presenting one that was already rotated means two parties hold it
 * (a thief and the owner): the whole family is revoked and both must sign in again.
 */
export async function refresh(ctx: Context, refreshToken: string): Promise<AuthSession> {
  const claims = await ctx.tokens.verifyRefresh(refreshToken);
  const scope = scopeTo(ctx.database.db, claims.workspaceId);
  const tokenHash = digestToken(refreshToken);
  const session = await scope.transaction(async (tx) => {
    const rotated = await markRefreshTokenRotated(tx, claims.tokenId, tokenHash);
    if (!rotated) return undefined;
    const profile = await findUserProfile(tx, rotated.user_id);
    if (!profile)
      throw new PulseError(
        'TOKEN_INVALID',
        'The account this token was issued to no longer exists',
      );
    return issueSession(
      ctx,
      tx,
      {
        userId: profile.id,
        email: profile.email,
        name: profile.name,
        role: profile.role,
        workspaceId: profile.workspace_id,
        workspaceName: profile.workspace_name,
      },
      rotated.family_id,
    );
  });
  if (session) return session;

  const stored = await findRefreshToken(scope, claims.tokenId);
  if (stored?.token_hash === tokenHash && stored.rotated_at) {
    const revoked = await revokeTokenFamily(scope, stored.family_id, 'reuse_detected');
    await recordAudit(ctx, scope, {
      actorUserId: stored.user_id,
      action: 'auth.refresh_reused',
      targetType: 'session',
      targetId: stored.family_id,
      metadata: { revokedTokens: revoked },
    });
    throw new PulseError(
      'TOKEN_REUSED',
      'This refresh token was already used; every session it belongs to is now revoked',
    );
  }
  throw new PulseError('TOKEN_INVALID', 'This refresh token has been revoked or is unknown');
}

export async function logout(ctx: Context, refreshToken: string): Promise<{ success: true }> {
  let claims: Awaited<ReturnType<typeof ctx.tokens.verifyRefresh>>;
  try {
    claims = await ctx.tokens.verifyRefresh(refreshToken);
  } catch (error) {
    // An expired session is already over: signing out of it succeeds.
    if (error instanceof PulseError && error.domainCode === 'TOKEN_EXPIRED')
      return { success: true };
    throw error;
  }
  const scope = scopeTo(ctx.database.db, claims.workspaceId);
  const stored = await findRefreshToken(scope, claims.tokenId);
  if (stored?.token_hash !== digestToken(refreshToken)) {
    throw new PulseError('TOKEN_INVALID', 'This refresh token is unknown');
  }
  await scope.transaction(async (tx) => {
    await revokeTokenFamily(tx, stored.family_id, 'logout');
    await recordAudit(ctx, tx, {
      actorUserId: stored.user_id,
      action: 'auth.logout',
      targetType: 'session',
      targetId: stored.family_id,
    });
  });
  return { success: true };
}
