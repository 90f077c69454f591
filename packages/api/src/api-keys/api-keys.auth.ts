import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type ApiKeyScope, scopeTo } from '@pulse/db';
import type { ApiKeyCaller } from '../auth/caller.js';
import { digestToken } from '../auth/tokens.js';
import type { Context } from '../context.js';
import { PulseError } from '../errors.js';
import { findApiKeyByPrefix, touchApiKey } from './api-keys.queries.js';

const KEY_MARKER = 'pk_';
const PREFIX_PATTERN = /^pk_([A-Za-z0-9]{12})_[A-Za-z0-9_-]{43}$/;
// Revocation on another process is seen within this long; the revoking process drops it at once.
const KEY_CACHE_TTL_MS = 30_000;
// last_used_at is a hint for people, not an audit trail: written at most once a minute per key.
const TOUCH_INTERVAL_MS = 60_000;

interface CachedKey {
  id: string;
  workspaceId: string;
  name: string;
  scope: ApiKeyScope;
  keyHash: string;
  revoked: boolean;
}

export function isApiKey(token: string): boolean {
  return token.startsWith(KEY_MARKER);
}

export const apiKeyCacheKey = (prefix: string) => `apikey:${prefix}`;

/** `pk_<12-char lookup prefix>_<32 random bytes>`; only the digest of the whole key is stored. */
export function generateApiKey(): { key: string; prefix: string; keyHash: string } {
  const prefix = randomBytes(12)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .padEnd(12, '0')
    .slice(0, 12);
  const key = `${KEY_MARKER}${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, keyHash: digestToken(key) };
}

export async function authenticateApiKey(ctx: Context, token: string): Promise<ApiKeyCaller> {
  const prefix = PREFIX_PATTERN.exec(token)?.[1];
  if (!prefix) throw new PulseError('TOKEN_INVALID', 'Malformed API key');
  const stored = await loadKey(ctx, prefix);
  if (!stored || stored.revoked || !sameDigest(digestToken(token), stored.keyHash)) {
    throw new PulseError('TOKEN_INVALID', 'Unknown or revoked API key');
  }
  await touchOncePerInterval(ctx, stored);
  return {
    kind: 'apiKey',
    keyId: stored.id,
    workspaceId: stored.workspaceId,
    scope: stored.scope,
    name: stored.name,
  };
}

function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

async function loadKey(ctx: Context, prefix: string): Promise<CachedKey | undefined> {
  const cacheKey = apiKeyCacheKey(prefix);
  const cached = await ctx.infra.cache.get<CachedKey>(cacheKey).catch(() => undefined);
  if (cached) return cached;
  const row = await findApiKeyByPrefix(ctx.database.db, prefix);
  if (!row) return undefined;
  const key: CachedKey = {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    scope: row.scope,
    keyHash: row.key_hash,
    revoked: row.revoked_at !== null,
  };
  await ctx.infra.cache.set(cacheKey, key, KEY_CACHE_TTL_MS).catch(() => undefined);
  return key;
}

async function touchOncePerInterval(ctx: Context, key: CachedKey): Promise<void> {
  const marker = `apikey-touched:${key.id}`;
  const recently = await ctx.infra.cache.get<boolean>(marker).catch(() => undefined);
  if (recently) return;
  await ctx.infra.cache.set(marker, true, TOUCH_INTERVAL_MS).catch(() => undefined);
  await touchApiKey(scopeTo(ctx.database.db, key.workspaceId), key.id);
}
