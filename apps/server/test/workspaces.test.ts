import { describe, expect, it } from 'vitest';
import { rest, uniqueEmail, useTestServer } from './harness.js';

const PASSWORD = 'workspace-test-password';

describe('workspaces: members, invites, roles', () => {
  const server = useTestServer();

  async function registerOwner(workspaceName = 'Team') {
    const response = await rest(server, 'POST', '/auth/register', {
      body: { email: uniqueEmail('owner'), password: PASSWORD, name: 'Owner', workspaceName },
    });
    expect(response.status).toBe(200);
    return response.body;
  }

  async function join(
    ownerToken: string,
    role: 'admin' | 'member' | 'viewer',
    name = `${role} person`,
  ) {
    const invite = await rest(server, 'POST', '/workspaces/invites', {
      token: ownerToken,
      body: { role },
    });
    expect(invite.status, JSON.stringify(invite.body)).toBe(200);
    const joined = await rest(server, 'POST', '/auth/register', {
      body: {
        email: uniqueEmail(role),
        password: PASSWORD,
        name,
        inviteCode: invite.body.inviteCode,
      },
    });
    expect(joined.status).toBe(200);
    return joined.body;
  }

  it('creates single-use invites that grant the invited role', async () => {
    const owner = await registerOwner();
    const invite = await rest(server, 'POST', '/workspaces/invites', {
      token: owner.accessToken,
      body: { role: 'viewer' },
    });
    expect(invite.body).toMatchObject({
      role: 'viewer',
      maxUses: 1,
      inviteCode: expect.any(String),
    });
    expect(Date.parse(invite.body.expiresAt)).toBeGreaterThan(Date.now() + 71 * 3_600_000);
    const first = await rest(server, 'POST', '/auth/register', {
      body: {
        email: uniqueEmail(),
        password: PASSWORD,
        name: 'V',
        inviteCode: invite.body.inviteCode,
      },
    });
    expect(first.body.role).toBe('viewer');
    const second = await rest(server, 'POST', '/auth/register', {
      body: {
        email: uniqueEmail(),
        password: PASSWORD,
        name: 'W',
        inviteCode: invite.body.inviteCode,
      },
    });
    expect(second.status).toBe(400);
    expect(second.body.data.domainCode).toBe('INVITE_INVALID');
  });

  it('enforces roles: viewers and members cannot invite, admins cannot mint owners', async () => {
    const owner = await registerOwner();
    const viewer = await join(owner.accessToken, 'viewer');
    const member = await join(owner.accessToken, 'member');
    const admin = await join(owner.accessToken, 'admin');
    for (const who of [viewer, member]) {
      const response = await rest(server, 'POST', '/workspaces/invites', {
        token: who.accessToken,
        body: {},
      });
      expect(response.status).toBe(403);
      expect(response.body.data.domainCode).toBe('FORBIDDEN');
    }
    const promote = await rest(server, 'PUT', `/workspaces/members/${member.user.id}/role`, {
      token: admin.accessToken,
      body: { role: 'owner' },
    });
    expect(promote.status).toBe(403);
    const demoteOwner = await rest(server, 'PUT', `/workspaces/members/${owner.user.id}/role`, {
      token: admin.accessToken,
      body: { role: 'viewer' },
    });
    expect(demoteOwner.status).toBe(403);
    const ok = await rest(server, 'PUT', `/workspaces/members/${member.user.id}/role`, {
      token: admin.accessToken,
      body: { role: 'viewer' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: member.user.id, role: 'viewer' });
  });

  it('applies a role change to the very next request of that user', async () => {
    const owner = await registerOwner();
    const admin = await join(owner.accessToken, 'admin');
    expect(
      (await rest(server, 'POST', '/workspaces/invites', { token: admin.accessToken, body: {} }))
        .status,
    ).toBe(200);
    await rest(server, 'PUT', `/workspaces/members/${admin.user.id}/role`, {
      token: owner.accessToken,
      body: { role: 'member' },
    });
    // Same access token, which still claims "admin": the database wins.
    const after = await rest(server, 'POST', '/workspaces/invites', {
      token: admin.accessToken,
      body: {},
    });
    expect(after.status).toBe(403);
  });

  it('never leaves a workspace without an owner', async () => {
    const owner = await registerOwner();
    const selfDemote = await rest(server, 'PUT', `/workspaces/members/${owner.user.id}/role`, {
      token: owner.accessToken,
      body: { role: 'admin' },
    });
    expect(selfDemote.status).toBe(409);
    expect(selfDemote.body.data.domainCode).toBe('LAST_OWNER');
  });

  it('lists members with cursor pagination in a stable order', async () => {
    const owner = await registerOwner();
    for (let i = 0; i < 4; i += 1) await join(owner.accessToken, 'member', `Member ${i}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await rest(server, 'GET', `/workspaces/members${query}`, {
        token: owner.accessToken,
      });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((m: { name: string }) => m.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Owner', 'Member 0', 'Member 1', 'Member 2', 'Member 3']);
    const bad = await rest(server, 'GET', '/workspaces/members?cursor=garbage', {
      token: owner.accessToken,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.data.issues[0].path).toBe('cursor');
  });

  it('keeps workspaces apart: no reading or changing another workspace', async () => {
    const alpha = await registerOwner('Alpha');
    const beta = await registerOwner('Beta');
    const betaMember = await join(beta.accessToken, 'member');

    const alphaMembers = await rest(server, 'GET', '/workspaces/members', {
      token: alpha.accessToken,
    });
    expect(alphaMembers.body.items.map((m: { id: string }) => m.id)).toEqual([alpha.user.id]);

    const crossRole = await rest(server, 'PUT', `/workspaces/members/${betaMember.user.id}/role`, {
      token: alpha.accessToken,
      body: { role: 'admin' },
    });
    expect(crossRole.status).toBe(404);
    const betaView = await rest(server, 'GET', '/workspaces/members', { token: beta.accessToken });
    expect(betaView.body.items.find((m: { id: string }) => m.id === betaMember.user.id).role).toBe(
      'member',
    );

    const alphaAudit = await rest(server, 'GET', '/workspaces/audit-log', {
      token: alpha.accessToken,
    });
    expect(
      alphaAudit.body.items.every(
        (e: { actorUserId: string | null }) => e.actorUserId !== beta.user.id,
      ),
    ).toBe(true);
    // An invite from Beta joins Beta, whatever the joiner might prefer.
    const joined = await join(beta.accessToken, 'viewer');
    expect(joined.workspace.id).toBe(beta.workspace.id);
  });

  it('records an audit trail of membership changes, newest first, admin+ only', async () => {
    const owner = await registerOwner();
    const member = await join(owner.accessToken, 'member');
    await rest(server, 'PUT', `/workspaces/members/${member.user.id}/role`, {
      token: owner.accessToken,
      body: { role: 'viewer' },
    });
    const log = await rest(server, 'GET', '/workspaces/audit-log?limit=10', {
      token: owner.accessToken,
    });
    expect(log.status).toBe(200);
    const actions = log.body.items.map((e: { action: string }) => e.action);
    expect(actions.slice(0, 3)).toEqual(['member.role_changed', 'member.joined', 'invite.created']);
    expect(log.body.items[0]).toMatchObject({
      targetId: member.user.id,
      metadata: { from: 'member', to: 'viewer' },
    });
    const denied = await rest(server, 'GET', '/workspaces/audit-log', {
      token: member.accessToken,
    });
    expect(denied.status).toBe(403);
  });
});
