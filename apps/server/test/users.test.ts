import { describe, expect, it } from 'vitest';
import { rest, uniqueEmail, useTestServer } from './harness.js';

const PASSWORD = 'users-test-password';

describe('users: me, update, delete', () => {
  const server = useTestServer();

  const register = async (body: Record<string, unknown> = {}) =>
    (
      await rest(server, 'POST', '/auth/register', {
        body: { email: uniqueEmail(), password: PASSWORD, name: 'Ursula', ...body },
      })
    ).body;

  it('renames the user', async () => {
    const session = await register();
    const updated = await rest(server, 'PUT', '/users/me', {
      token: session.accessToken,
      body: { name: '  Ursula K.  ' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.name).toBe('Ursula K.');
    expect((await rest(server, 'GET', '/users/me', { token: session.accessToken })).body.name).toBe(
      'Ursula K.',
    );
  });

  it('changes the password only with the current one, and signs out other sessions', async () => {
    const session = await register();
    const other = (
      await rest(server, 'POST', '/auth/login', {
        body: { email: session.user.email, password: PASSWORD },
      })
    ).body;

    const missing = await rest(server, 'PUT', '/users/me', {
      token: session.accessToken,
      body: { password: 'brand-new-password' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.data.issues[0].path).toBe('currentPassword');
    const wrong = await rest(server, 'PUT', '/users/me', {
      token: session.accessToken,
      body: { password: 'brand-new-password', currentPassword: 'not-it-at-all' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.data.domainCode).toBe('PASSWORD_INCORRECT');

    const changed = await rest(server, 'PUT', '/users/me', {
      token: session.accessToken,
      body: { password: 'brand-new-password', currentPassword: PASSWORD },
    });
    expect(changed.status).toBe(200);
    expect(
      (
        await rest(server, 'POST', '/auth/login', {
          body: { email: session.user.email, password: PASSWORD },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await rest(server, 'POST', '/auth/login', {
          body: { email: session.user.email, password: 'brand-new-password' },
        })
      ).status,
    ).toBe(200);
    // The other session's refresh token is revoked; this session's is not.
    expect(
      (await rest(server, 'POST', '/auth/refresh', { body: { refreshToken: other.refreshToken } }))
        .status,
    ).toBe(401);
    expect(
      (
        await rest(server, 'POST', '/auth/refresh', {
          body: { refreshToken: session.refreshToken },
        })
      ).status,
    ).toBe(200);
  });

  it('deletes the account after password confirmation and removes its tokens', async () => {
    const owner = await register();
    const invite = await rest(server, 'POST', '/workspaces/invites', {
      token: owner.accessToken,
      body: {},
    });
    const member = await register({ inviteCode: invite.body.inviteCode });

    const wrong = await rest(server, 'DELETE', '/users/me', {
      token: member.accessToken,
      body: { password: 'wrong-password' },
    });
    expect(wrong.status).toBe(403);
    expect((await rest(server, 'GET', '/users/me', { token: member.accessToken })).status).toBe(
      200,
    );

    const deleted = await rest(server, 'DELETE', '/users/me', {
      token: member.accessToken,
      body: { password: PASSWORD },
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ success: true });
    expect((await rest(server, 'GET', '/users/me', { token: member.accessToken })).status).toBe(
      401,
    );
    expect(
      (await rest(server, 'POST', '/auth/refresh', { body: { refreshToken: member.refreshToken } }))
        .status,
    ).toBe(401);
    const members = await rest(server, 'GET', '/workspaces/members', { token: owner.accessToken });
    expect(members.body.items.map((m: { id: string }) => m.id)).toEqual([owner.user.id]);
  });

  it('refuses to delete the last owner of a workspace that still has members', async () => {
    const owner = await register();
    const invite = await rest(server, 'POST', '/workspaces/invites', {
      token: owner.accessToken,
      body: {},
    });
    await register({ inviteCode: invite.body.inviteCode });
    const refused = await rest(server, 'DELETE', '/users/me', {
      token: owner.accessToken,
      body: { password: PASSWORD },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.data.domainCode).toBe('LAST_OWNER');
    expect((await rest(server, 'GET', '/users/me', { token: owner.accessToken })).status).toBe(200);
  });

  it('takes a one-person workspace with its sole member', async () => {
    const owner = await register();
    const deleted = await rest(server, 'DELETE', '/users/me', {
      token: owner.accessToken,
      body: { password: PASSWORD },
    });
    expect(deleted.status).toBe(200);
    const again = await rest(server, 'POST', '/auth/login', {
      body: { email: owner.user.email, password: PASSWORD },
    });
    expect(again.status).toBe(401);
  });
});
