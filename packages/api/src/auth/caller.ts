import { type ApiKeyScope, type Role, scopeTo, type WorkspaceScope } from '@pulse/db';
import { authenticateApiKey, isApiKey } from '../api-keys/api-keys.auth.js';
import type { Context } from '../context.js';
import { PulseError } from '../errors.js';
import { findUserProfile } from '../users/users.queries.js';

/** A signed-in person, as the database says now (not as an older token claims). */
export interface UserCaller {
  kind: 'user';
  userId: string;
  workspaceId: string;
  role: Role;
  email: string;
  name: string;
  workspaceName: string;
  /** The session (refresh-token family) the access token was issued to. */
  familyId: string;
}

/** A program holding an API key: one workspace, one scope, no user behind it. */
export interface ApiKeyCaller {
  kind: 'apiKey';
  keyId: string;
  workspaceId: string;
  scope: ApiKeyScope;
  name: string;
}

export type Caller = UserCaller | ApiKeyCaller;

export interface WorkspaceContext extends Context {
  caller: Caller;
  scope: WorkspaceScope;
}

export interface UserContext extends Context {
  caller: UserCaller;
  scope: WorkspaceScope;
}

type CallerProfile = Omit<UserCaller, 'familyId' | 'kind'>;

// Short enough that a role change or deletion on another process takes effect quickly;
// the process that makes the change drops the entry at once.
const PROFILE_TTL_MS = 30_000;

const profileKey = (workspaceId: string, userId: string) => `caller:${workspaceId}:${userId}`;

export async function resolveCaller(ctx: Context): Promise<Caller> {
  const token = ctx.request.bearerToken;
  if (!token) {
    throw new PulseError(
      'UNAUTHENTICATED',
      'Sign in first: send Authorization: Bearer <access token>',
    );
  }
  if (isApiKey(token)) return authenticateApiKey(ctx, token);
  const claims = await ctx.tokens.verifyAccess(token);
  const profile = await loadProfile(ctx, claims.workspaceId, claims.userId);
  if (!profile)
    throw new PulseError('TOKEN_INVALID', 'The account this token was issued to no longer exists');
  return { kind: 'user', ...profile, familyId: claims.familyId };
}

async function loadProfile(
  ctx: Context,
  workspaceId: string,
  userId: string,
): Promise<CallerProfile | undefined> {
  const key = profileKey(workspaceId, userId);
  const cached = await ctx.infra.cache.get<CallerProfile>(key).catch(() => undefined);
  if (cached) return cached;
  const row = await findUserProfile(scopeTo(ctx.database.db, workspaceId), userId);
  if (!row) return undefined;
  const profile: CallerProfile = {
    userId: row.id,
    workspaceId: row.workspace_id,
    role: row.role,
    email: row.email,
    name: row.name,
    workspaceName: row.workspace_name,
  };
  await ctx.infra.cache.set(key, profile, PROFILE_TTL_MS).catch(() => undefined);
  return profile;
}

/** Call after changing a user's role, name or existence. */
export async function forgetCaller(
  ctx: Context,
  workspaceId: string,
  userId: string,
): Promise<void> {
  await ctx.infra.cache.delete(profileKey(workspaceId, userId));
}
