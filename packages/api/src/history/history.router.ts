import { workspaceProcedure } from '../procedures.js';
import { router } from '../trpc.js';
import {
  historyMeta,
  listVersionsInput,
  listVersionsOutput,
  tableAtInput,
  tableAtOutput,
} from './history.contract.js';
import * as history from './history.service.js';

const readAccess = workspaceProcedure({ role: 'viewer', keyScope: 'read' });

export const historyRouter = router({
  versions: readAccess
    .meta(historyMeta.versions)
    .input(listVersionsInput)
    .output(listVersionsOutput)
    .query(({ ctx, input }) => history.listVersions(ctx, input)),
  at: readAccess
    .meta(historyMeta.at)
    .input(tableAtInput)
    .output(tableAtOutput)
    .query(({ ctx, input }) => history.tableAt(ctx, input)),
});
