import type { Database, PulseDatabase } from '@pulse/db';
import { type Kysely, sql } from 'kysely';
import { PulseError } from '../../errors.js';
import { sqlRejection } from './sql.rejection.js';
import type { AnalystView } from './sql.views.js';

export interface SandboxRequest {
  workspaceId: string;
  /** One statement that passed validateAnalystSql. */
  statement: string;
  views: readonly AnalystView[];
  /** Rows returned at most; one more is fetched to report truncation. */
  limit: number;
  timeoutMs: number;
}

export interface SandboxResult {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  truncated: boolean;
}

const ANALYST_ROLE = 'pulse_analyst';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// PGlite runs in this thread and cannot cancel a statement (statement_timeout never fires),
// so there a statement is refused up front when the planner expects it to cost more than
// about the timeout's worth of work. Measured here: counting generate_series rows, PGlite
// got through 20–48 cost units per ms (37,500 units in 786 ms idle, 375,000 in 18.7 s under
// load); the lower figure is used, so the ceiling errs towards refusing.
const PGLITE_COST_PER_MS = 20;

/**
 * Runs an analyst's statement where it can only read its own workspace, and undoes
 * everything afterwards. In one transaction, always rolled back:
 *  1. as the app role: temporary views over the real tables with the workspace id baked in
 *     (a literal: a setting could be changed by the statement, a literal cannot);
 *  2. SET LOCAL ROLE pulse_analyst, a role with no privileges but SELECT on those views;
 *  3. the statement becomes a temporary view owned by that role (giving its column types
 *     without running it), then the transaction turns READ ONLY and the view is read with
 *     `limit + 1`, under statement_timeout.
 * The layers cover for each other: READ ONLY cannot be turned back to read-write, so writes
 * fail whatever else goes wrong; the role keeps tables, other schemas and superuser-only
 * functions (pg_read_file, lo_import…) out of reach. SET ROLE alone could be undone by a
 * statement allowed to call set_config (PostgreSQL checks the session user), which is why
 * the parser's function allowlist (sql.validate.ts) comes first and leaves set_config out.
 */
export async function runInSandbox(
  database: PulseDatabase,
  request: SandboxRequest,
): Promise<SandboxResult> {
  if (!UUID.test(request.workspaceId)) throw new Error('workspace id is not a uuid');
  const analyst = await analystRoleUsable(database.db);
  const trx = await database.db.startTransaction().execute();
  try {
    const { rows } = await sql<{ schema: string }>`
      select current_schema() as schema,
             set_config('statement_timeout', ${String(request.timeoutMs)}, true),
             set_config('TimeZone', 'UTC', true)`.execute(trx);
    const schema = rows[0]?.schema ?? 'public';
    for (const view of request.views) {
      const columns = sql.join(view.columns.map((c) => sql.id(c.name)));
      await sql`
        create temp view ${sql.id(view.name)} as
        select ${columns} from ${sql.id(schema, view.source)}
        where workspace_id = ${sql.lit(request.workspaceId)}`.execute(trx);
    }
    if (analyst) {
      const views = sql.join(request.views.map((v) => sql.id('pg_temp', v.name)));
      await sql`grant select on ${views} to ${sql.id(ANALYST_ROLE)}`.execute(trx);
      await sql`set local role ${sql.id(ANALYST_ROLE)}`.execute(trx);
    }
    return await runStatement(trx, request, database.kind === 'pglite').catch((error) => {
      throw rejectionOf(error, request.timeoutMs) ?? error;
    });
  } finally {
    await trx.rollback().execute();
  }
}

async function runStatement(
  trx: Kysely<Database>,
  request: SandboxRequest,
  embedded: boolean,
): Promise<SandboxResult> {
  await sql`create temp view pulse_result as ${sql.raw(request.statement)}`.execute(trx);
  const { rows: columns } = await sql<{ name: string; type: string }>`
    select attname as name, format_type(atttypid, atttypmod) as type
    from pg_attribute
    where attrelid = 'pg_temp.pulse_result'::regclass and attnum > 0 and not attisdropped
    order by attnum`.execute(trx);
  await sql`set transaction read only`.execute(trx);
  const read = sql`select to_jsonb(r) as row from pulse_result r limit ${sql.lit(request.limit + 1)}`;
  if (embedded) await refuseCostlyPlan(trx, read, request.timeoutMs);
  // jsonb renders every type the same way on both drivers (ISO times, JSON numbers).
  const { rows } = await sql<{ row: Record<string, unknown> }>`${read}`.execute(trx);
  const truncated = rows.length > request.limit;
  return {
    columns,
    rows: rows.slice(0, request.limit).map(({ row }) => columns.map((c) => row[c.name] ?? null)),
    truncated,
  };
}

async function refuseCostlyPlan(
  trx: Kysely<Database>,
  read: ReturnType<typeof sql>,
  timeoutMs: number,
): Promise<void> {
  const { rows } = await sql<Record<string, unknown>>`explain (format json) ${read}`.execute(trx);
  const plan = Object.values(rows[0] ?? {})[0];
  const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as Array<{
    Plan: { 'Total Cost': number };
  }>;
  const cost = parsed[0]?.Plan['Total Cost'] ?? 0;
  const ceiling = timeoutMs * PGLITE_COST_PER_MS;
  if (cost > ceiling) {
    throw sqlRejection(
      `the query is estimated to take longer than the ${timeoutMs} ms limit (plan cost ${Math.round(cost)} > ${ceiling}); narrow it with WHERE on timestamp or bucket`,
    );
  }
}

const roleChecks = new WeakMap<object, Promise<boolean>>();

/**
 * Whether this connection's role may become pulse_analyst (migration 0005 creates it when it
 * can). Checked once per database handle; without it the parser and the read-only
 * transaction stand alone.
 */
function analystRoleUsable(db: Kysely<Database>): Promise<boolean> {
  let check = roleChecks.get(db);
  if (!check) {
    check = sql<{ usable: boolean }>`
      select pg_has_role(current_user, oid, 'member') as usable
      from pg_roles where rolname = ${ANALYST_ROLE}`
      .execute(db)
      .then(({ rows }) => rows[0]?.usable === true);
    roleChecks.set(db, check);
  }
  return check;
}

// SQLSTATE classes caused by the statement itself: cardinality (21), data (22), transaction
// state e.g. read-only (25), syntax and access (42), unsupported (0A), limits (54), and
// query_canceled (57014, the timeout). Anything else (connection loss…) is ours: a 500.
const STATEMENT_FAULTS = /^(21|22|25|2F|3F|42|0A|54)/;

function rejectionOf(error: unknown, timeoutMs: number): PulseError | undefined {
  if (error instanceof PulseError) return error;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== 'string') return undefined;
  if (code === '57014') {
    return sqlRejection(`the query took longer than ${timeoutMs} ms and was cancelled`);
  }
  if (code === '42701') {
    return sqlRejection(`${String(message)}: give each result column a distinct name (AS …)`);
  }
  return STATEMENT_FAULTS.test(code) ? sqlRejection(String(message)) : undefined;
}
