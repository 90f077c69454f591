import { z } from 'zod';
import { idSchema, timestampSchema } from '../fields.js';
import { pageInput } from '../pagination.js';
import { nameSchema, pageOf, tagFilterSchema, tagListSchema } from '../spaces/spaces.fields.js';
import type { PulseMeta } from '../trpc.js';

export const memberSchema = z
  .object({
    id: idSchema,
    userId: idSchema.nullable().describe('The Pulse account that manages this profile'),
    name: z.string(),
    headline: z.string().nullable(),
    bio: z.string().nullable(),
    interests: z.array(z.string()),
    homeFloorId: idSchema.nullable(),
    joinedAt: timestampSchema,
  })
  .meta({ id: 'BuildingMember' });

const profileFields = {
  name: nameSchema(100),
  headline: z.string().trim().max(200).nullable().optional(),
  bio: z.string().trim().max(2000).nullable().optional(),
  interests: tagListSchema('Interests').optional(),
  homeFloorId: idSchema.nullable().optional().describe('The floor this member usually works on'),
};

export const createMemberInput = z.strictObject({
  ...profileFields,
  userId: idSchema.optional().describe('Link a Pulse account of this workspace (one profile each)'),
  joinedAt: timestampSchema.optional().describe('Defaults to now'),
});

export const updateMemberInput = z.strictObject({
  id: idSchema,
  ...profileFields,
  name: profileFields.name.optional(),
});

export const updateMyMemberInput = z.strictObject({
  ...profileFields,
  name: profileFields.name.optional().describe('Defaults to your account name on first save'),
});

export const memberIdInput = z.strictObject({ id: idSchema });

export const listMembersInput = z.strictObject({
  ...pageInput,
  interest: tagFilterSchema.optional().describe('Only members with this interest'),
  homeFloorId: idSchema.optional(),
  search: z.string().trim().min(1).max(100).optional().describe('Part of the name'),
});

export const listMembersOutput = pageOf(memberSchema);

export const deletedOutput = z.object({ deleted: z.literal(true) });

export type MemberDto = z.infer<typeof memberSchema>;
export type CreateMemberInput = z.infer<typeof createMemberInput>;
export type UpdateMyMemberInput = z.infer<typeof updateMyMemberInput>;
export type ListMembersInput = z.infer<typeof listMembersInput>;

const tags = ['community'];
const path = '/community/members';

export const membersMeta = {
  me: { openapi: { method: 'GET', path: `${path}/me`, tags, summary: 'Your member profile' } },
  updateMe: {
    openapi: {
      method: 'PATCH',
      path: `${path}/me`,
      tags,
      summary: 'Create or change your member profile',
    },
  },
  list: {
    openapi: { method: 'GET', path, tags, summary: 'Members of the building, by name' },
  },
  create: { openapi: { method: 'POST', path, tags, summary: 'Add a member (admins)' } },
  get: { openapi: { method: 'GET', path: `${path}/{id}`, tags, summary: 'One member' } },
  update: {
    openapi: {
      method: 'PATCH',
      path: `${path}/{id}`,
      tags,
      summary: 'Change a member profile (admins, or the member)',
    },
  },
  delete: {
    openapi: { method: 'DELETE', path: `${path}/{id}`, tags, summary: 'Remove a member (admins)' },
  },
} satisfies Record<string, PulseMeta>;
