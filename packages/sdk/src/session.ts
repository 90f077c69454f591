import { isTRPCClientError } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './generated/app-router.js';
import { jwtExpiresAt } from './jwt.js';

/** What `auth.login`, `auth.register` and `auth.refresh` return. */
export type AuthSession = inferRouterOutputs<AppRouter>['auth']['login'];

/** The tokens of a signed-in session, as `onTokens` hands them over to be persisted. */
export interface PulseTokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (by this machine's clock when it came from the server). */
  expiresAt: Date;
}

/** Tokens to install with `setTokens()`; `expiresAt` defaults to the access token's `exp`. */
export type PulseTokensInput = Omit<PulseTokens, 'expiresAt'> & { expiresAt?: Date | undefined };

/**
 * Why the bearer token changed: `'refresh'` swaps a still-valid access token for a newer one of
 * the same session; `'identity'` means a sign-in, sign-out or `setTokens()`.
 */
export type TokenChange = 'refresh' | 'identity';

export interface TokenSessionOptions {
  accessToken?: string | undefined;
  refreshToken?: string | undefined;
  apiKey?: string | undefined;
  onTokens?: ((tokens: PulseTokens | null) => void) | undefined;
  /** Exchanges a refresh token for a new session (`auth.refresh`). */
  exchange: (refreshToken: string) => Promise<AuthSession>;
  /** Refresh when the access token expires within this many ms. Default 30 000. */
  refreshMarginMs?: number;
  now?: () => number;
}

/** Far future, for access tokens whose expiry we can't tell. */
const NEVER = new Date(8.64e15);

/**
 * Holds the tokens and refreshes them: at most one refresh runs at a time, and every caller that
 * needs one while it runs waits for that one. Presenting a refresh token twice makes the server
 * revoke the whole session, so this must never rotate the same refresh token concurrently.
 */
export class TokenSession {
  readonly #apiKey: string | undefined;
  readonly #onTokens: ((tokens: PulseTokens | null) => void) | undefined;
  readonly #exchange: (refreshToken: string) => Promise<AuthSession>;
  readonly #marginMs: number;
  readonly #now: () => number;
  readonly #listeners = new Set<(change: TokenChange) => void>();
  #accessToken: string | undefined;
  #refreshToken: string | undefined;
  #expiresAt: Date | undefined;
  /** Bumped on every change, so a refresh that raced with a sign-out drops its result. */
  #version = 0;
  #inflight: Promise<void> | undefined;

  constructor(options: TokenSessionOptions) {
    this.#apiKey = options.apiKey || undefined;
    this.#onTokens = options.onTokens;
    this.#exchange = options.exchange;
    this.#marginMs = options.refreshMarginMs ?? 30_000;
    this.#now = options.now ?? Date.now;
    this.#accessToken = options.accessToken || undefined;
    this.#refreshToken = options.refreshToken || undefined;
    this.#expiresAt = this.#accessToken ? (jwtExpiresAt(this.#accessToken) ?? NEVER) : undefined;
  }

  /** What goes after `Bearer `: the access token, or else the API key. */
  bearer(): string | undefined {
    return this.#accessToken ?? this.#apiKey;
  }

  tokens(): PulseTokens | null {
    if (!this.#accessToken || !this.#refreshToken) return null;
    return {
      accessToken: this.#accessToken,
      refreshToken: this.#refreshToken,
      expiresAt: new Date((this.#expiresAt ?? NEVER).getTime()),
    };
  }

  refreshToken(): string | undefined {
    return this.#refreshToken;
  }

  /** Replaces the tokens without calling `onTokens` (the caller already knows them). */
  setTokens(tokens: PulseTokensInput | null): void {
    this.#accessToken = tokens?.accessToken || undefined;
    this.#refreshToken = tokens?.refreshToken || undefined;
    this.#expiresAt = tokens
      ? (tokens.expiresAt ?? jwtExpiresAt(tokens.accessToken) ?? NEVER)
      : undefined;
    this.#version++;
    this.#emit('identity');
  }

  /** Stores a session the server just issued and reports it to `onTokens`. */
  acceptSession(session: AuthSession, change: TokenChange = 'identity'): void {
    this.#accessToken = session.accessToken;
    this.#refreshToken = session.refreshToken;
    // By this machine's clock, so a skewed clock doesn't make us refresh too late.
    this.#expiresAt = Number.isFinite(session.expiresIn)
      ? new Date(this.#now() + session.expiresIn * 1000)
      : (jwtExpiresAt(session.accessToken) ?? NEVER);
    this.#version++;
    this.#report(this.tokens());
    this.#emit(change);
  }

  /** Forgets the tokens and reports `null` to `onTokens`. */
  clear(): void {
    const had = this.#accessToken !== undefined || this.#refreshToken !== undefined;
    this.#accessToken = undefined;
    this.#refreshToken = undefined;
    this.#expiresAt = undefined;
    this.#version++;
    if (had) {
      this.#report(null);
      this.#emit('identity');
    }
  }

  /** Whether the access token is missing or expires within the margin, and we can refresh. */
  needsRefresh(): boolean {
    if (!this.#refreshToken) return false;
    if (!this.#accessToken || !this.#expiresAt) return true;
    return this.#expiresAt.getTime() - this.#now() <= this.#marginMs;
  }

  /** The bearer token to send now, refreshed first if it's about to expire. Never throws. */
  async freshBearer(): Promise<string | undefined> {
    if (this.#inflight) await this.#inflight.catch(() => undefined);
    if (this.needsRefresh()) await this.refresh().catch(() => undefined);
    return this.bearer();
  }

  /**
   * Rotates the refresh token, or joins the rotation already running. A refusal by the server
   * (4xx other than 408/429) ends the session: the tokens are cleared and `onTokens(null)` is
   * called. Network errors, 5xx and rate limiting keep the tokens so a later call can retry.
   */
  refresh(): Promise<void> {
    if (!this.#inflight) {
      this.#inflight = this.#rotate().finally(() => {
        this.#inflight = undefined;
      });
    }
    return this.#inflight;
  }

  /**
   * After a call failed with `TOKEN_EXPIRED` using `usedToken`: makes sure a newer token is in
   * place, refreshing only if nobody else already did. Resolves whether retrying makes sense.
   */
  async recoverFromExpired(usedToken: string | undefined): Promise<boolean> {
    if (this.#inflight) await this.#inflight.catch(() => undefined);
    const current = this.bearer();
    if (current !== undefined && current !== usedToken) return true;
    if (!this.#refreshToken) return false;
    return this.refresh().then(
      () => this.bearer() !== undefined,
      () => false,
    );
  }

  /** Waits for a refresh that is running, if any. */
  async settled(): Promise<void> {
    if (this.#inflight) await this.#inflight.catch(() => undefined);
  }

  /** Calls `listener` whenever the bearer token changes. Returns the unsubscribe function. */
  onChange(listener: (change: TokenChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #rotate(): Promise<void> {
    const refreshToken = this.#refreshToken;
    if (!refreshToken) throw new Error('No refresh token to refresh the session with');
    const version = this.#version;
    let session: AuthSession;
    try {
      session = await this.#exchange(refreshToken);
    } catch (error) {
      if (this.#version === version && isRefusal(error)) this.clear();
      throw error;
    }
    // Signed out or given other tokens meanwhile: these belong to a session nobody wants.
    if (this.#version !== version) return;
    this.acceptSession(session, 'refresh');
  }

  #report(tokens: PulseTokens | null): void {
    if (!this.#onTokens) return;
    try {
      this.#onTokens(tokens);
    } catch (error) {
      // A failing persistence callback must not break the session it reports.
      console.error('[@pulse/sdk] onTokens threw:', error);
    }
  }

  #emit(change: TokenChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}

/** Whether the server definitively refused a refresh (as opposed to a transient failure). */
function isRefusal(error: unknown): boolean {
  if (!isTRPCClientError(error)) return false;
  const status = (error.data as { httpStatus?: unknown } | null | undefined)?.httpStatus;
  return (
    typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429
  );
}
