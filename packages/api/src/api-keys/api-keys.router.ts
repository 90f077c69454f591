import { z } from 'zod';
import { roleProcedure } from '../procedures.js';
import { router } from '../trpc.js';
import {
  apiKeysMeta,
  createApiKeyInput,
  createdApiKeyOutput,
  listApiKeysOutput,
  revokeApiKeyInput,
  revokeApiKeyOutput,
} from './api-keys.contract.js';
import * as apiKeys from './api-keys.service.js';

export const apiKeysRouter = router({
  create: roleProcedure('admin')
    .meta(apiKeysMeta.create)
    .input(createApiKeyInput)
    .output(createdApiKeyOutput)
    .mutation(({ ctx, input }) => apiKeys.createApiKey(ctx, input)),
  list: roleProcedure('admin')
    .meta(apiKeysMeta.list)
    .input(z.void())
    .output(listApiKeysOutput)
    .query(({ ctx }) => apiKeys.listKeys(ctx)),
  revoke: roleProcedure('admin')
    .meta(apiKeysMeta.revoke)
    .input(revokeApiKeyInput)
    .output(revokeApiKeyOutput)
    .mutation(({ ctx, input }) => apiKeys.revokeKey(ctx, input.id)),
});
