import { beforeAll, describe, expect, it } from 'vitest';
import { rest, uniqueEmail, useTestServer } from './harness.js';
import { craftToken, decodePayload, unsignedToken } from './tokens.js';

const PASSWORD = 'correct horse battery';

describe('auth over REST', () => {
  const server = useTestServer();

  const register = async (overrides: Record<string, unknown> = {}) => {
    const response = await rest(server, 'POST', '/auth/register', {
      body: { email: uniqueEmail(), password: PASSWORD, name: 'Reg Ister', ...overrides },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };

  it('registers an owner with a new workspace and answers the documented shape', async () => {
    const email = uniqueEmail('Mixed.Case');
    const session = await register({ email, workspaceName: 'Acme' });
    expect(session).toMatchObject({
      user: { email, name: 'Reg Ister' },
      workspace: { name: 'Acme' },
      role: 'owner',
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    expect(Object.keys(session).sort()).toEqual(
      ['accessToken', 'expiresIn', 'refreshToken', 'role', 'tokenType', 'user', 'workspace'].sort(),
    );
    expect(decodePayload(session.accessToken)).toMatchObject({
      aud: 'pulse-api',
      iss: 'pulse',
      typ: 'access',
    });
  });

  it('refuses a second registration of the same email in the same workspace, and keeps the invite', async () => {
    const owner = await register();
    const invite = await rest(server, 'POST', '/workspaces/invites', {
      token: owner.accessToken,
      body: { maxUses: 1 },
    });
    const clash = await rest(server, 'POST', '/auth/register', {
      body: {
        email: owner.user.email,
        password: PASSWORD,
        name: 'Twin',
        inviteCode: invite.body.inviteCode,
      },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.data).toMatchObject({
      domainCode: 'EMAIL_TAKEN',
      issues: [{ path: 'email' }],
    });
    // The failed attempt gave the invite's single use back.
    const joined = await rest(server, 'POST', '/auth/register', {
      body: {
        email: uniqueEmail(),
        password: PASSWORD,
        name: 'Joiner',
        inviteCode: invite.body.inviteCode,
      },
    });
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ workspace: owner.workspace, role: 'member' });
  });

  it('logs in, reads /users/me and rejects a wrong password without saying which part was wrong', async () => {
    const session = await register();
    const login = await rest(server, 'POST', '/auth/login', {
      body: { email: session.user.email, password: PASSWORD },
    });
    expect(login.status).toBe(200);
    const me = await rest(server, 'GET', '/users/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: session.user.id,
      email: session.user.email,
      name: 'Reg Ister',
      workspace: session.workspace,
      role: 'owner',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const wrong = await rest(server, 'POST', '/auth/login', {
      body: { email: session.user.email, password: 'nope-nope-nope' },
    });
    const unknown = await rest(server, 'POST', '/auth/login', {
      body: { email: uniqueEmail(), password: PASSWORD },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
    expect(wrong.body.data.domainCode).toBe('INVALID_CREDENTIALS');
  });

  it('asks for workspaceId when one email belongs to several workspaces', async () => {
    const email = uniqueEmail();
    const first = await register({ email, workspaceName: 'One' });
    const second = await register({ email, workspaceName: 'Two' });
    const ambiguous = await rest(server, 'POST', '/auth/login', {
      body: { email, password: PASSWORD },
    });
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.body.data).toMatchObject({
      domainCode: 'WORKSPACE_AMBIGUOUS',
      issues: [{ path: 'workspaceId' }],
    });
    const chosen = await rest(server, 'POST', '/auth/login', {
      body: { email, password: PASSWORD, workspaceId: second.workspace.id },
    });
    expect(chosen.body.workspace).toEqual(second.workspace);
    expect(first.workspace.id).not.toBe(second.workspace.id);
  });

  it('rotates refresh tokens and revokes the whole family when a rotated one is reused', async () => {
    const session = await register();
    const first = await rest(server, 'POST', '/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(session.refreshToken);
    expect(first.body.user).toEqual(session.user);

    const second = await rest(server, 'POST', '/auth/refresh', {
      body: { refreshToken: first.body.refreshToken },
    });
    expect(second.status).toBe(200);

    // The original token, already rotated, comes back: somebody copied it.
    const replay = await rest(server, 'POST', '/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(replay.status).toBe(401);
    expect(replay.body.data.domainCode).toBe('TOKEN_REUSED');

    // Every descendant is dead too, including the newest one the legitimate client holds.
    const newest = await rest(server, 'POST', '/auth/refresh', {
      body: { refreshToken: second.body.refreshToken },
    });
    expect(newest.status).toBe(401);
    // A separate login (another family) is unaffected.
    const other = await rest(server, 'POST', '/auth/login', {
      body: { email: session.user.email, password: PASSWORD },
    });
    const otherRefresh = await rest(server, 'POST', '/auth/refresh', {
      body: { refreshToken: other.body.refreshToken },
    });
    expect(otherRefresh.status).toBe(200);
  });

  it('lets exactly one of several concurrent refreshes of the same token win', async () => {
    const session = await register();
    const attempts = await Promise.all(
      Array.from({ length: 5 }, () =>
        rest(server, 'POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } }),
      ),
    );
    expect(attempts.filter((a) => a.status === 200)).toHaveLength(1);
    expect(attempts.filter((a) => a.status === 401)).toHaveLength(4);
  });

  it('logout revokes the session; the refresh token stops working', async () => {
    const session = await register();
    const logout = await rest(server, 'POST', '/auth/logout', {
      body: { refreshToken: session.refreshToken },
    });
    expect(logout.status).toBe(200);
    expect(logout.body).toEqual({ success: true });
    const refresh = await rest(server, 'POST', '/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(refresh.status).toBe(401);
    expect(refresh.body.data.domainCode).toBe('TOKEN_INVALID');
  });

  describe('hostile tokens', () => {
    let session: {
      accessToken: string;
      refreshToken: string;
      user: { id: string };
      workspace: { id: string };
    };
    let claims: Record<string, unknown>;
    beforeAll(async () => {
      session = await register();
      claims = {
        typ: 'access',
        sub: session.user.id,
        wid: session.workspace.id,
        role: 'owner',
        fam: 'x',
      };
    });

    const expectRejected = async (token: string, domainCode = 'TOKEN_INVALID') => {
      const response = await rest(server, 'GET', '/users/me', { token });
      expect(response.status).toBe(401);
      expect(response.body.data.domainCode).toBe(domainCode);
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+/);
    };

    it('accepts a well-formed token signed with the right key (control)', async () => {
      const token = await craftToken(claims, { secret: server.config.api.auth.jwtSecret });
      expect((await rest(server, 'GET', '/users/me', { token })).status).toBe(200);
    });
    it('rejects an expired token as expired', async () => {
      const past = Math.floor(Date.now() / 1000) - 3600;
      await expectRejected(
        await craftToken(claims, {
          secret: server.config.api.auth.jwtSecret,
          issuedAt: past - 60,
          expiresAt: past,
        }),
        'TOKEN_EXPIRED',
      );
    });
    it('rejects a forged signature', async () => {
      await expectRejected(
        await craftToken(claims, { secret: 'an-attacker-chosen-secret-of-32-bytes!!' }),
      );
    });
    it('rejects the wrong audience and the wrong issuer', async () => {
      const secret = server.config.api.auth.jwtSecret;
      await expectRejected(await craftToken(claims, { secret, audience: 'another-api' }));
      await expectRejected(await craftToken(claims, { secret, issuer: 'someone-else' }));
    });
    it('rejects alg none and a different algorithm', async () => {
      await expectRejected(unsignedToken(claims));
      await expectRejected(
        await craftToken(claims, { secret: server.config.api.auth.jwtSecret, alg: 'HS512' }),
      );
    });
    it('rejects a refresh token used as an access token, and garbage', async () => {
      await expectRejected(session.refreshToken);
      await expectRejected('not.a.jwt');
    });
    it('rejects a missing token with 401 UNAUTHENTICATED', async () => {
      const response = await rest(server, 'GET', '/users/me');
      expect(response.status).toBe(401);
      expect(response.body.data.domainCode).toBe('UNAUTHENTICATED');
    });
  });

  describe('bad input', () => {
    it('names every failing field, including unknown ones', async () => {
      const response = await rest(server, 'POST', '/auth/register', {
        body: { email: 'not-an-email', password: 'short', name: 42, admin: true },
      });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('BAD_REQUEST');
      const paths = response.body.data.issues.map((i: { path: string }) => i.path).sort();
      expect(paths).toEqual(['admin', 'email', 'name', 'password']);
    });
    it('answers malformed JSON with 400 and a JSON error', async () => {
      const response = await rest(server, 'POST', '/auth/login', {
        rawBody: '{"email": "a@b.c", ',
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'PARSE_ERROR', message: expect.any(String) });
    });
    it('answers an oversized body with 413', async () => {
      const response = await rest(server, 'POST', '/auth/login', {
        body: { email: 'a@b.c', password: 'x'.repeat(server.config.http.bodyLimitBytes + 10) },
      });
      expect(response.status).toBe(413);
      expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
    });
    it('answers an unknown route with a JSON 404', async () => {
      const response = await rest(server, 'GET', '/nope');
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('NOT_FOUND');
    });
    it('refuses an unknown, expired or exhausted invite code without creating anything', async () => {
      const response = await rest(server, 'POST', '/auth/register', {
        body: {
          email: uniqueEmail(),
          password: PASSWORD,
          name: 'X',
          inviteCode: 'definitely-not-a-code',
        },
      });
      expect(response.status).toBe(400);
      expect(response.body.data).toMatchObject({
        domainCode: 'INVITE_INVALID',
        issues: [{ path: 'inviteCode' }],
      });
    });
  });
});
