import { z } from 'zod';
import {
  displayNameSchema,
  idSchema,
  passwordSchema,
  roleSchema,
  successSchema,
  timestampSchema,
  workspaceRefSchema,
} from '../fields.js';
import type { PulseMeta } from '../trpc.js';

export const meOutput = z
  .object({
    id: idSchema,
    email: z.string(),
    name: z.string(),
    workspace: workspaceRefSchema,
    role: roleSchema,
    createdAt: timestampSchema,
  })
  .meta({ id: 'Me' });

export const updateMeInput = z.strictObject({
  name: displayNameSchema.optional(),
  password: passwordSchema.optional().describe('New password; needs currentPassword'),
  currentPassword: z.string().min(1).max(256).optional(),
});

export const deleteMeInput = z.strictObject({
  password: z.string().min(1).max(256).describe('Your current password, to confirm'),
});

export const deleteMeOutput = successSchema;

export type Me = z.infer<typeof meOutput>;
export type UpdateMeInput = z.infer<typeof updateMeInput>;

const tags = ['users'];

export const usersMeta = {
  me: { openapi: { method: 'GET', path: '/users/me', tags, summary: 'The signed-in user' } },
  updateMe: {
    openapi: { method: 'PUT', path: '/users/me', tags, summary: 'Change your name or password' },
  },
  deleteMe: {
    openapi: { method: 'DELETE', path: '/users/me', tags, summary: 'Delete your account' },
  },
} satisfies Record<string, PulseMeta>;
