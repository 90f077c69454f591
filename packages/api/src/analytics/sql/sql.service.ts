import type { WorkspaceContext } from '../../auth/caller.js';
import { DEFAULT_QUERY_ROWS, type RunQueryInput, type RunQueryOutput } from './sql.contract.js';
import { runInSandbox } from './sql.queries.js';
import { validateAnalystSql } from './sql.validate.js';
import { ANALYST_VIEW_NAMES, ANALYST_VIEWS } from './sql.views.js';

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * analytics.query, and the path every generated statement of analytics.ask takes too: the
 * parser check, then the sandbox (views of the caller's workspace only, analyst role, read
 * only, timeout, row cap). The sandbox takes the workspace id from the caller's scope.
 */
export async function runAnalystQuery(
  ctx: WorkspaceContext,
  input: RunQueryInput,
): Promise<RunQueryOutput> {
  const statement = await validateAnalystSql(input.sql, ANALYST_VIEW_NAMES);
  const result = await runInSandbox(ctx.database, {
    workspaceId: ctx.scope.workspaceId,
    statement,
    views: ANALYST_VIEWS,
    limit: input.limit ?? DEFAULT_QUERY_ROWS,
    timeoutMs: ctx.config.sqlStatementTimeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  return { ...result, rowCount: result.rows.length };
}
