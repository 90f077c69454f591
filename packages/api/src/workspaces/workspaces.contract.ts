import { z } from 'zod';
import { idSchema, roleSchema, timestampSchema } from '../fields.js';
import { pageInput } from '../pagination.js';
import type { PulseMeta } from '../trpc.js';

export const memberSchema = z
  .object({
    id: idSchema,
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    joinedAt: timestampSchema,
  })
  .meta({ id: 'Member' });

export const membersInput = z.strictObject(pageInput);
export const membersOutput = z.object({
  items: z.array(memberSchema),
  nextCursor: z.string().nullable(),
});

export const inviteInput = z.strictObject({
  role: z.enum(['admin', 'member', 'viewer']).default('member'),
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
  maxUses: z.number().int().min(1).max(1000).default(1),
});

export const inviteOutput = z.object({
  inviteCode: z.string().describe('Shown once; only its digest is stored'),
  expiresAt: timestampSchema,
  role: roleSchema,
  maxUses: z.number().int(),
});

export const setRoleInput = z.strictObject({ userId: idSchema, role: roleSchema });
export const setRoleOutput = memberSchema;

export const auditLogInput = z.strictObject({
  limit: pageInput.limit,
  cursor: z.string().regex(/^\d+$/, 'must be a nextCursor from a previous page').optional(),
  action: z.string().max(100).optional(),
});

export const auditEntrySchema = z.object({
  id: z.string(),
  action: z.string(),
  actorUserId: idSchema.nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  createdAt: timestampSchema,
});
export const auditLogOutput = z.object({
  items: z.array(auditEntrySchema),
  nextCursor: z.string().nullable(),
});

export type Member = z.infer<typeof memberSchema>;
export type InviteInput = z.infer<typeof inviteInput>;
export type AuditEntryDto = z.infer<typeof auditEntrySchema>;

const tags = ['workspaces'];

export const workspacesMeta = {
  members: {
    openapi: {
      method: 'GET',
      path: '/workspaces/members',
      tags,
      summary: 'Members of your workspace',
    },
  },
  invite: {
    openapi: {
      method: 'POST',
      path: '/workspaces/invites',
      tags,
      summary: 'Create an invite code (admin+)',
    },
  },
  setRole: {
    openapi: {
      method: 'PUT',
      path: '/workspaces/members/{userId}/role',
      tags,
      summary: "Change a member's role (admin+)",
    },
  },
  auditLog: {
    openapi: {
      method: 'GET',
      path: '/workspaces/audit-log',
      tags,
      summary: 'Who did what (admin+)',
    },
  },
} satisfies Record<string, PulseMeta>;
