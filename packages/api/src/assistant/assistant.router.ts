import { workspaceProcedure } from '../procedures.js';
import { router } from '../trpc.js';
import {
  assistantAnswerSchema,
  assistantQueryInput,
  assistantQueryMeta,
} from './assistant.contract.js';
import { askAssistant } from './assistant.service.js';

export const assistantRouter = router({
  query: workspaceProcedure({ role: 'viewer', keyScope: 'read' })
    .meta(assistantQueryMeta)
    .input(assistantQueryInput)
    .output(assistantAnswerSchema)
    .mutation(({ ctx, input }) => askAssistant(ctx, input)),
});
