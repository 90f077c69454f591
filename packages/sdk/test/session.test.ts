import { TRPCClientError } from '@trpc/client';
import { describe, expect, it, vi } from 'vitest';
import { type AuthSession, TokenSession } from '../src/session.js';
import { fakeJwt } from './support/fake-pulse.js';

const T0 = 1_800_000_000_000;

function session(n: number, expiresIn = 900): AuthSession {
  return {
    user: { id: 'u1', email: 'a@example.com', name: 'A' },
    workspace: { id: 'w1', name: 'W' },
    role: 'owner',
    accessToken: fakeJwt({ n, exp: T0 / 1000 + expiresIn }),
    refreshToken: `r${n}`,
    tokenType: 'Bearer',
    expiresIn,
  };
}

function refusal(domainCode: string, httpStatus: number) {
  return TRPCClientError.from({
    error: {
      message: domainCode,
      code: -32001,
      data: { httpStatus, domainCode, code: 'UNAUTHORIZED', path: 'auth.refresh', issues: [] },
    },
  });
}

/** An exchange whose calls resolve only when the test says so. */
function controlledExchange() {
  const calls: {
    refreshToken: string;
    resolve: (s: AuthSession) => void;
    reject: (e: unknown) => void;
  }[] = [];
  const exchange = vi.fn(
    (refreshToken: string) =>
      new Promise<AuthSession>((resolve, reject) => {
        calls.push({ refreshToken, resolve, reject });
      }),
  );
  return { exchange, calls };
}

describe('TokenSession', () => {
  it('refreshes only when the access token expires within 30 s', () => {
    let now = T0;
    const s = new TokenSession({
      accessToken: fakeJwt({ exp: T0 / 1000 + 60 }),
      refreshToken: 'r0',
      exchange: vi.fn(),
      now: () => now,
    });
    expect(s.needsRefresh()).toBe(false);
    now = T0 + 29_000;
    expect(s.needsRefresh()).toBe(false);
    now = T0 + 30_000;
    expect(s.needsRefresh()).toBe(true);
    expect(new TokenSession({ refreshToken: 'r0', exchange: vi.fn() }).needsRefresh()).toBe(true);
    expect(new TokenSession({ accessToken: 'opaque', exchange: vi.fn() }).needsRefresh()).toBe(
      false,
    );
    expect(new TokenSession({ apiKey: 'key', exchange: vi.fn() }).needsRefresh()).toBe(false);
  });

  it('shares one in-flight refresh between concurrent callers', async () => {
    const { exchange, calls } = controlledExchange();
    const onTokens = vi.fn();
    const s = new TokenSession({ refreshToken: 'r0', exchange, onTokens, now: () => T0 });
    const bearers = Promise.all([
      s.freshBearer(),
      s.freshBearer(),
      s.refresh().then(() => s.bearer()),
      s.freshBearer(),
    ]);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    calls[0]!.resolve(session(1));
    const fresh = session(1).accessToken;
    expect(await bearers).toEqual([fresh, fresh, fresh, fresh]);
    expect(exchange).toHaveBeenCalledTimes(1);
    expect(exchange).toHaveBeenCalledWith('r0');
    expect(onTokens).toHaveBeenCalledTimes(1);
    expect(onTokens).toHaveBeenCalledWith({
      accessToken: fresh,
      refreshToken: 'r1',
      expiresAt: new Date(T0 + 900_000),
    });

    // The next refresh uses the rotated token.
    const again = s.refresh();
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]!.refreshToken).toBe('r1');
    calls[1]!.resolve(session(2));
    await again;
    expect(s.tokens()?.refreshToken).toBe('r2');
  });

  it('after TOKEN_EXPIRED, refreshes only if nobody else already did', async () => {
    const { exchange, calls } = controlledExchange();
    const start = session(0);
    const s = new TokenSession({
      accessToken: start.accessToken,
      refreshToken: 'r0',
      exchange,
      now: () => T0,
    });
    const first = s.recoverFromExpired(start.accessToken);
    const second = s.recoverFromExpired(start.accessToken);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    calls[0]!.resolve(session(1));
    expect(await Promise.all([first, second])).toEqual([true, true]);
    // A call that used the old token and fails later must not refresh again.
    expect(await s.recoverFromExpired(start.accessToken)).toBe(true);
    expect(exchange).toHaveBeenCalledTimes(1);
    // Without a refresh token there's nothing to retry with.
    const keyOnly = new TokenSession({ apiKey: 'key', exchange });
    expect(await keyOnly.recoverFromExpired('key')).toBe(false);
  });

  it('ends the session when the server refuses the refresh', async () => {
    const onTokens = vi.fn();
    const changes: string[] = [];
    const s = new TokenSession({
      refreshToken: 'r0',
      accessToken: 'a0',
      exchange: () => Promise.reject(refusal('TOKEN_REUSED', 401)),
      onTokens,
    });
    s.onChange((change) => changes.push(change));
    await expect(s.refresh()).rejects.toThrow('TOKEN_REUSED');
    expect(s.tokens()).toBeNull();
    expect(s.bearer()).toBeUndefined();
    expect(onTokens).toHaveBeenCalledExactlyOnceWith(null);
    expect(changes).toEqual(['identity']);
    expect(await s.freshBearer()).toBeUndefined();
  });

  it('keeps the tokens when the refresh fails for transient reasons', async () => {
    for (const error of [
      TRPCClientError.from(new TypeError('fetch failed')),
      refusal('RATE_LIMITED', 429),
      refusal('INTERNAL', 500),
    ]) {
      const onTokens = vi.fn();
      const s = new TokenSession({
        refreshToken: 'r0',
        accessToken: 'a0',
        exchange: () => Promise.reject(error),
        onTokens,
      });
      await expect(s.refresh()).rejects.toBe(error);
      expect(s.tokens()?.refreshToken).toBe('r0');
      expect(await s.freshBearer()).toBe('a0');
      expect(onTokens).not.toHaveBeenCalled();
    }
  });

  it('drops a refresh result when the tokens changed meanwhile (e.g. sign-out)', async () => {
    const { exchange, calls } = controlledExchange();
    const onTokens = vi.fn();
    const s = new TokenSession({ refreshToken: 'r0', accessToken: 'a0', exchange, onTokens });
    const pending = s.refresh();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    s.clear();
    calls[0]!.resolve(session(1));
    await pending;
    expect(s.tokens()).toBeNull();
    expect(onTokens.mock.calls).toEqual([[null]]);
  });

  it('falls back to the API key when there is no access token', () => {
    const s = new TokenSession({ apiKey: 'key', exchange: vi.fn() });
    expect(s.bearer()).toBe('key');
    s.setTokens({ accessToken: fakeJwt({ exp: 2_000_000_000 }), refreshToken: 'r' });
    expect(s.bearer()).not.toBe('key');
    expect(s.tokens()?.expiresAt).toEqual(new Date(2_000_000_000_000));
    s.setTokens(null);
    expect(s.bearer()).toBe('key');
  });

  it('survives an onTokens callback that throws', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const s = new TokenSession({
      refreshToken: 'r0',
      exchange: async () => session(1),
      onTokens: () => {
        throw new Error('disk full');
      },
    });
    await s.refresh();
    expect(s.tokens()?.refreshToken).toBe('r1');
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});
