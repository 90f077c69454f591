import { expect } from 'vitest';
import { rest, type TestServer, uniqueEmail } from './harness.js';

// Accounts and keys for tests that are about something else.
const PASSWORD = 'test-account-password';

export interface Account {
  accessToken: string;
  workspaceId: string;
  userId: string;
  name: string;
}

export async function registerOwner(server: TestServer, label = 'owner'): Promise<Account> {
  const response = await rest(server, 'POST', '/auth/register', {
    body: {
      email: uniqueEmail(label),
      password: PASSWORD,
      name: 'Olive Owner',
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return accountOf(response.body);
}

export async function join(
  server: TestServer,
  owner: Account,
  role: 'admin' | 'member' | 'viewer',
): Promise<Account> {
  const invite = await rest(server, 'POST', '/workspaces/invites', {
    token: owner.accessToken,
    body: { role },
  });
  expect(invite.status, JSON.stringify(invite.body)).toBe(200);
  const joined = await rest(server, 'POST', '/auth/register', {
    body: {
      email: uniqueEmail(role),
      password: PASSWORD,
      name: `${role} person`,
      inviteCode: invite.body.inviteCode,
    },
  });
  expect(joined.status).toBe(200);
  return accountOf(joined.body);
}

// biome-ignore lint/suspicious/noExplicitAny: the register response as loosely-typed JSON.
function accountOf(body: any): Account {
  return {
    accessToken: body.accessToken,
    workspaceId: body.workspace.id,
    userId: body.user.id,
    name: body.user.name,
  };
}

export async function createApiKey(server: TestServer, owner: Account, scope: 'ingest' | 'read') {
  const response = await rest(server, 'POST', '/api-keys', {
    token: owner.accessToken,
    body: { name: `${scope} key`, scope },
  });
  expect(response.status).toBe(200);
  return response.body.key as string;
}
