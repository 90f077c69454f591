import { z } from 'zod';
import {
  displayNameSchema,
  emailSchema,
  idSchema,
  passwordSchema,
  roleSchema,
  successSchema,
  workspaceRefSchema,
} from '../fields.js';
import type { PulseMeta } from '../trpc.js';

export const registerInput = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  name: displayNameSchema,
  workspaceName: z.string().trim().min(1).max(100).optional().describe('Name of the new workspace'),
  inviteCode: z.string().min(8).max(128).optional().describe('Join an existing workspace instead'),
});

export const loginInput = z.strictObject({
  email: emailSchema,
  password: z.string().min(1).max(256),
  workspaceId: idSchema
    .optional()
    .describe('Needed only when the email belongs to several workspaces'),
});

export const refreshInput = z.strictObject({ refreshToken: z.string().min(1).max(4096) });
export const logoutInput = refreshInput;

export const authSessionOutput = z
  .object({
    user: z.object({ id: idSchema, email: z.string(), name: z.string() }),
    workspace: workspaceRefSchema,
    role: roleSchema,
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().describe('Seconds until the access token expires'),
  })
  .meta({ id: 'AuthSession' });

export const logoutOutput = successSchema;

export type RegisterInput = z.infer<typeof registerInput>;
export type LoginInput = z.infer<typeof loginInput>;
export type AuthSession = z.infer<typeof authSessionOutput>;

const MINUTE = 60_000;
const tags = ['auth'];

export const authMeta = {
  register: {
    openapi: {
      method: 'POST',
      path: '/auth/register',
      tags,
      protect: false,
      summary: 'Create an account (and a workspace, or join one by invite)',
    },
    rateLimit: { limit: 10, windowMs: MINUTE },
  },
  login: {
    openapi: {
      method: 'POST',
      path: '/auth/login',
      tags,
      protect: false,
      summary: 'Exchange email and password for tokens',
    },
    rateLimit: { limit: 10, windowMs: MINUTE },
  },
  refresh: {
    openapi: {
      method: 'POST',
      path: '/auth/refresh',
      tags,
      protect: false,
      summary: 'Rotate a refresh token for new tokens',
    },
    rateLimit: { limit: 30, windowMs: MINUTE },
  },
  logout: {
    openapi: {
      method: 'POST',
      path: '/auth/logout',
      tags,
      protect: false,
      summary: 'Revoke the session a refresh token belongs to',
    },
    rateLimit: { limit: 30, windowMs: MINUTE },
  },
} satisfies Record<string, PulseMeta>;
