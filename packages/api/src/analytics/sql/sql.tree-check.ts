import {
  ALLOWED_FUNCTIONS,
  ALLOWED_NODES,
  ALLOWED_TYPES,
  ALLOWED_VALUE_FUNCTIONS,
} from './sql.allowlist.js';
import { sqlRejection as rejection } from './sql.rejection.js';

export const ONLY = 'only a read-only SELECT (or WITH … SELECT) is';

type Scope = ReadonlySet<string>;
export type Struct = Record<string, unknown>;

/** A tree node is `{Kind: {...fields}}`; fields typed as one struct come without the wrapper. */
export function nodeOf(value: unknown): [string, Struct] | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || !/^[A-Z]/.test(keys[0] as string)) return undefined;
  const kind = keys[0] as string;
  return [kind, ((value as Struct)[kind] ?? {}) as Struct];
}

const NODE_NAMES: Record<string, string> = {
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
  CopyStmt: 'COPY',
  VariableSetStmt: 'SET',
  VariableShowStmt: 'SHOW',
  TransactionStmt: 'a transaction command',
  ExplainStmt: 'EXPLAIN',
  DoStmt: 'DO',
  CallStmt: 'CALL',
  LockStmt: 'LOCK',
  ParamRef: 'a parameter placeholder ($n)',
  RangeTableSample: 'TABLESAMPLE',
  RangeTableFunc: 'XMLTABLE',
  XmlExpr: 'an XML function',
  XmlSerialize: 'XMLSERIALIZE',
};

export function describeNode(kind: string): string {
  const known = NODE_NAMES[kind];
  if (known) return known;
  if (kind.endsWith('Stmt'))
    return `a ${kind.slice(0, -4).replace(/([a-z])([A-Z])/g, '$1 $2')} statement`;
  return `the construct ${kind}`;
}

function namesOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => {
    const node = nodeOf(item);
    return node?.[0] === 'String' ? String(node[1].sval ?? '') : '';
  });
}

/** `name` or `pg_catalog.name` (how EXTRACT, POSITION, AT TIME ZONE… arrive) → `name`. */
function unqualified(names: string[]): string | undefined {
  if (names.length === 1) return names[0];
  if (names.length === 2 && names[0] === 'pg_catalog') return names[1];
  return undefined;
}

/**
 * Walks a SELECT's parse tree: every relation must be a documented view or a CTE in scope,
 * every function, cast type and node kind on the allowlists (sql.allowlist.ts).
 */
export class TreeCheck {
  constructor(private readonly relations: ReadonlySet<string>) {}

  /** A SELECT, with its CTEs visible to later CTEs and to the body (never to earlier ones). */
  select(body: Struct, outer: Scope): void {
    if (body.intoClause) throw rejection('SELECT … INTO is not allowed; it creates a table');
    if (body.lockingClause) {
      throw rejection('FOR UPDATE / FOR SHARE is not allowed; queries take no row locks');
    }
    let scope = outer;
    const withClause = body.withClause as Struct | undefined;
    if (withClause) {
      if (withClause.recursive) throw rejection('WITH RECURSIVE is not allowed');
      const visible = new Set(outer);
      for (const item of (withClause.ctes ?? []) as unknown[]) {
        const cte = nodeOf(item)?.[1] ?? {};
        const [kind, query] = nodeOf(cte.ctequery) ?? ['unknown', {}];
        if (kind !== 'SelectStmt') {
          throw rejection(`${describeNode(kind)} inside WITH is not allowed; ${ONLY}`);
        }
        this.select(query, visible);
        visible.add(String(cte.ctename));
      }
      scope = visible;
    }
    for (const [field, value] of Object.entries(body)) {
      if (field === 'withClause') continue;
      // UNION/INTERSECT/EXCEPT arms are SELECTs stored without their node wrapper.
      if ((field === 'larg' || field === 'rarg') && value) this.select(value as Struct, scope);
      else this.walk(value, scope);
    }
  }

  private walk(value: unknown, scope: Scope): void {
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item, scope);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = nodeOf(value);
    if (node) {
      this.node(node[0], node[1], scope);
      return;
    }
    this.fields(value as Struct, scope);
  }

  private fields(struct: Struct, scope: Scope): void {
    for (const [field, value] of Object.entries(struct)) {
      if (field === 'typeName') this.type(value as Struct);
      if (field === 'lockingClause' || field === 'intoClause') {
        throw rejection(`${field} is not allowed`);
      }
      this.walk(value, scope);
    }
  }

  private node(kind: string, body: Struct, scope: Scope): void {
    switch (kind) {
      case 'SelectStmt':
        this.select(body, scope);
        return;
      case 'RangeVar':
        this.relation(body, scope);
        return;
      case 'FuncCall':
        this.functionCall(body);
        break;
      case 'TypeCast':
      case 'ColumnDef':
        break; // the type is checked as a `typeName` field
      case 'SQLValueFunction':
        if (!ALLOWED_VALUE_FUNCTIONS.has(String(body.op))) {
          throw rejection(`${String(body.op).replace('SVFOP_', '')} is not allowed`);
        }
        return;
      case 'A_Expr':
        if (unqualified(namesOf(body.name)) === undefined) {
          throw rejection('schema-qualified operators are not allowed');
        }
        break;
      default:
        if (!ALLOWED_NODES.has(kind)) throw rejection(`${describeNode(kind)} is not allowed`);
    }
    this.fields(body, scope);
  }

  private relation(body: Struct, scope: Scope): void {
    const name = String(body.relname);
    if (body.schemaname || body.catalogname) {
      throw rejection(
        `${[body.catalogname, body.schemaname, name].filter(Boolean).join('.')} is not one of the documented views (${this.listed()}); schema-qualified names are not allowed`,
      );
    }
    if (!this.relations.has(name) && !scope.has(name)) {
      throw rejection(`relation "${name}" is not one of the documented views (${this.listed()})`);
    }
  }

  private listed(): string {
    return [...this.relations].join(', ');
  }

  private functionCall(body: Struct): void {
    const names = namesOf(body.funcname);
    const name = unqualified(names);
    if (name === undefined || !ALLOWED_FUNCTIONS.has(name)) {
      throw rejection(
        `function ${names.join('.')}() is not allowed (aggregates, window, math, string, date/time, JSON and array functions are)`,
      );
    }
  }

  private type(typeName: Struct): void {
    if (typeName.pct_type || typeName.setof) throw rejection('%TYPE and SETOF are not allowed');
    const names = namesOf(typeName.names);
    const name = unqualified(names);
    if (name === undefined || !ALLOWED_TYPES.has(name)) {
      throw rejection(`type ${names.join('.')} is not allowed in casts`);
    }
  }
}
