import { workspaceProcedure } from '../../procedures.js';
import { askQuestion } from './ask.service.js';
import { askInput, askOutput, runQueryInput, runQueryOutput, sqlMeta } from './sql.contract.js';
import { runAnalystQuery } from './sql.service.js';

const readAccess = workspaceProcedure({ role: 'viewer', keyScope: 'read' });

/** Procedures of `analytics`; analytics.router.ts merges them into one namespace. */
export const sqlProcedures = {
  // Mutations for tRPC because they are POSTs with a body; neither changes anything.
  query: readAccess
    .meta(sqlMeta.query)
    .input(runQueryInput)
    .output(runQueryOutput)
    .mutation(({ ctx, input }) => runAnalystQuery(ctx, input)),
  ask: readAccess
    .meta(sqlMeta.ask)
    .input(askInput)
    .output(askOutput)
    .mutation(({ ctx, input }) => askQuestion(ctx, input.question)),
};
