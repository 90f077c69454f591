import { API_KEY_SCOPES } from '@pulse/db';
import { z } from 'zod';
import { idSchema, successSchema, timestampSchema } from '../fields.js';
import type { PulseMeta } from '../trpc.js';

export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES);

export const createApiKeyInput = z.strictObject({
  name: z.string().trim().min(1).max(100).describe('What the key is for, e.g. "web tracker"'),
  scope: apiKeyScopeSchema.describe('ingest: send events and metrics; read: query them'),
});

export const apiKeySchema = z
  .object({
    id: idSchema,
    name: z.string(),
    scope: apiKeyScopeSchema,
    prefix: z.string().describe('Shown in lists to tell keys apart'),
    createdBy: idSchema.nullable(),
    createdAt: timestampSchema,
    lastUsedAt: timestampSchema.nullable(),
    revokedAt: timestampSchema.nullable(),
  })
  .meta({ id: 'ApiKey' });

export const createdApiKeyOutput = apiKeySchema.extend({
  key: z.string().describe('The secret: shown once, stored only as a digest'),
});

export const listApiKeysOutput = z.object({ items: z.array(apiKeySchema), nextCursor: z.null() });
export const revokeApiKeyInput = z.strictObject({ id: idSchema });
export const revokeApiKeyOutput = successSchema;

export type ApiKeyDto = z.infer<typeof apiKeySchema>;
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

const tags = ['api-keys'];

export const apiKeysMeta = {
  create: {
    openapi: {
      method: 'POST',
      path: '/api-keys',
      tags,
      summary: 'Create an API key (admin+); the secret is shown once',
    },
  },
  list: {
    openapi: {
      method: 'GET',
      path: '/api-keys',
      tags,
      summary: "Your workspace's API keys (admin+)",
    },
  },
  revoke: {
    openapi: {
      method: 'DELETE',
      path: '/api-keys/{id}',
      tags,
      summary: 'Revoke an API key (admin+)',
    },
  },
} satisfies Record<string, PulseMeta>;
