import {
  appRouter,
  type Context,
  createCallerFactory,
  createContextFactory,
  PulseError,
} from '@pulse/api';
import type { ServerConfig } from './config.js';
import { seedDemoActivity } from './demo-activity.js';
import type { Resources } from './resources.js';
import { type SeedAccount, type SeedSizeName, seedSpaces } from './spaces-seed.js';
import { PULSE_VERSION } from './version.js';

export const DEMO_OWNER = {
  email: 'demo@pulse.dev',
  password: 'pulse-demo-password',
  name: 'Dana Demo',
} as const;
const DEMO_WORKSPACE = 'Demo Workspace';
const DEMO_MEMBERS = [
  { email: 'ada@pulse.dev', name: 'Ada Analyst', role: 'admin' },
  { email: 'max@pulse.dev', name: 'Max Member', role: 'member' },
  { email: 'val@pulse.dev', name: 'Val Viewer', role: 'viewer' },
] as const;

/**
 * Creates the demo workspace through the same procedures users call, so the demo data obeys
 * every rule; its building (`spaces`, small by default) comes from the bulk generator.
 * Idempotent: an existing demo owner means the demo is already there.
 */
export async function seedDemo(
  config: ServerConfig,
  resources: Resources,
  options: { spaces?: SeedSizeName | null } = {},
): Promise<{ created: boolean }> {
  const anonymous = demoCaller(config, resources);
  try {
    await anonymous.auth.login({ email: DEMO_OWNER.email, password: DEMO_OWNER.password });
    return { created: false };
  } catch (error) {
    if (!(error instanceof PulseError) || error.domainCode !== 'INVALID_CREDENTIALS') throw error;
  }

  const owner = await anonymous.auth.register({ ...DEMO_OWNER, workspaceName: DEMO_WORKSPACE });
  const asOwner = demoCaller(config, resources, owner.accessToken);
  await seedDemoActivity(asOwner);
  // The demo's people get the first member profiles of its building.
  const accounts: SeedAccount[] = [{ userId: owner.user.id, name: DEMO_OWNER.name }];
  for (const member of DEMO_MEMBERS) {
    const { inviteCode } = await asOwner.workspaces.invite({
      role: member.role,
      expiresInHours: 1,
      maxUses: 1,
    });
    const joined = await anonymous.auth.register({
      email: member.email,
      name: member.name,
      password: DEMO_OWNER.password,
      inviteCode,
    });
    accounts.push({ userId: joined.user.id, name: member.name });
  }
  const spaces = options.spaces === undefined ? 'small' : options.spaces;
  if (spaces) {
    const workspaceId = owner.workspace.id;
    await seedSpaces(resources.database.db, { workspaceId, size: spaces, accounts });
  }
  return { created: true };
}

/** The demo workspace's id (the demo must exist). */
export async function demoWorkspaceId(config: ServerConfig, resources: Resources) {
  const session = await demoCaller(config, resources).auth.login({
    email: DEMO_OWNER.email,
    password: DEMO_OWNER.password,
  });
  return session.workspace.id;
}

/** Procedures called as the seed (rate limits off), signed in with `token` if given. */
function demoCaller(config: ServerConfig, resources: Resources, token?: string) {
  const ctx: Context = createContextFactory({
    config: { ...config.api, rateLimits: { ...config.api.rateLimits, enabled: false } },
    database: resources.database,
    infra: resources.infra,
    tokens: resources.tokens,
    version: PULSE_VERSION,
    startedAt: new Date(),
  })({ requestId: 'demo-seed', ip: '127.0.0.1', bearerToken: token });
  return createCallerFactory(appRouter)(ctx);
}
