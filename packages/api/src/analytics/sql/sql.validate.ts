import { parse } from 'libpg-query';
import { sqlRejection as rejection } from './sql.rejection.js';
import { describeNode, nodeOf, ONLY, TreeCheck } from './sql.tree-check.js';

/**
 * The first line of defence for analysts' SQL: PostgreSQL's own parser (libpg_query, compiled
 * to WebAssembly) reads the statement, and the tree must be exactly one SELECT that reads only
 * the given relations (or its own CTEs), calls only allowlisted functions and casts to
 * allowlisted types. The database role and read-only transaction behind it are the second and
 * third lines; this one exists so that mistakes and attacks get a precise 400 before anything
 * runs. Answers the statement's own text (without a trailing semicolon or anything after it).
 */
export async function validateAnalystSql(
  text: string,
  relations: ReadonlySet<string>,
): Promise<string> {
  const tree = await parseOrReject(text);
  const statements = (tree.stmts ?? []) as RawStatement[];
  if (statements.length !== 1) {
    throw rejection(
      statements.length === 0
        ? 'no statement found'
        : `only one statement is allowed; found ${statements.length}`,
    );
  }
  const [statement] = statements as [RawStatement];
  const [kind, body] = nodeOf(statement.stmt) ?? ['unknown', {}];
  if (kind !== 'SelectStmt') throw rejection(`${describeNode(kind)} is not allowed; ${ONLY}`);
  new TreeCheck(relations).select(body, new Set());
  return statementText(text, statement);
}

interface RawStatement {
  stmt: unknown;
  stmt_location?: number;
  stmt_len?: number;
}

async function parseOrReject(text: string): Promise<{ stmts?: unknown[] }> {
  try {
    return (await parse(text)) as { stmts?: unknown[] };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw rejection(`syntax error: ${message}`);
  }
}

/** libpg_query locations are byte offsets into the UTF-8 text; 0 length means "to the end". */
function statementText(text: string, statement: RawStatement): string {
  const bytes = Buffer.from(text, 'utf8');
  const start = statement.stmt_location ?? 0;
  const end = statement.stmt_len ? start + statement.stmt_len : bytes.length;
  return bytes.subarray(start, end).toString('utf8').trim();
}
