import {
  type DeleteQueryBuilder,
  type DeleteResult,
  type Insertable,
  type InsertQueryBuilder,
  type InsertResult,
  type Kysely,
  type QueryResult,
  type RawBuilder,
  type SelectQueryBuilder,
  sql,
  type UpdateQueryBuilder,
  type UpdateResult,
} from 'kysely';
import { retryingConflicts } from './conflicts.js';
import type { Database, ScopedTable } from './schema.js';

// A Transaction is a Kysely, so query functions accept either.
export type Executor = Kysely<Database>;
export type ScopedInsert<T extends ScopedTable> = Omit<Insertable<Database[T]>, 'workspace_id'>;

/**
 * The only door to workspace-owned tables. Every statement it builds is already filtered to
 * (or stamped with) one workspace, so a query module cannot forget the tenant boundary.
 * Joins to another scoped table must also match on `workspace_id`; tests cover each query.
 */
export interface WorkspaceScope {
  readonly workspaceId: string;
  // biome-ignore lint/complexity/noBannedTypes: Kysely's own type for "nothing selected yet".
  selectFrom<T extends ScopedTable>(table: T): SelectQueryBuilder<Database, T, {}>;
  updateTable<T extends ScopedTable>(table: T): UpdateQueryBuilder<Database, T, T, UpdateResult>;
  deleteFrom<T extends ScopedTable>(table: T): DeleteQueryBuilder<Database, T, DeleteResult>;
  insertInto<T extends ScopedTable>(
    table: T,
    rows: ScopedInsert<T> | readonly ScopedInsert<T>[],
  ): InsertQueryBuilder<Database, T, InsertResult>;
  /** The workspace row itself (the one table keyed by `id` rather than `workspace_id`). */
  // biome-ignore lint/complexity/noBannedTypes: as above.
  selectWorkspace(): SelectQueryBuilder<Database, 'workspaces', {}>;
  updateWorkspace(): UpdateQueryBuilder<Database, 'workspaces', 'workspaces', UpdateResult>;
  deleteWorkspace(): DeleteQueryBuilder<Database, 'workspaces', DeleteResult>;
  /**
   * Runs hand-written SQL on the scope's connection (or transaction). Kysely cannot express
   * every statement (multi-CTE bulk writes); such SQL must use `workspaceId` itself, and its
   * tests must show that it does.
   */
  executeRaw<R>(query: RawBuilder<R>): Promise<QueryResult<R>>;
  /**
   * Runs `work` in one transaction (or inside the current one) with the same scope. A new
   * transaction that loses to a concurrent one (deadlock, serialization failure) is run again,
   * so `work` must only touch the database.
   */
  transaction<R>(work: (scope: WorkspaceScope) => Promise<R>): Promise<R>;
}

export function scopeTo(executor: Executor, workspaceId: string): WorkspaceScope {
  const belongs = (table: string) =>
    sql<boolean>`${sql.ref(`${table}.workspace_id`)} = ${workspaceId}`;

  // Generic table names defeat Kysely's overloads; the public signatures above keep callers typed.
  // biome-ignore lint/suspicious/noExplicitAny: confined to this adapter.
  const untyped = executor as unknown as Kysely<any>;
  const scope: WorkspaceScope = {
    workspaceId,
    selectFrom: (table) => untyped.selectFrom(table as string).where(belongs(table)) as never,
    updateTable: (table) => untyped.updateTable(table as string).where(belongs(table)) as never,
    deleteFrom: (table) => untyped.deleteFrom(table as string).where(belongs(table)) as never,
    insertInto: (table, rows) => {
      const list = (Array.isArray(rows) ? rows : [rows]) as readonly object[];
      return untyped
        .insertInto(table as string)
        .values(list.map((row) => ({ ...row, workspace_id: workspaceId }))) as never;
    },
    selectWorkspace: () => executor.selectFrom('workspaces').where('id', '=', workspaceId),
    updateWorkspace: () => executor.updateTable('workspaces').where('id', '=', workspaceId),
    deleteWorkspace: () => executor.deleteFrom('workspaces').where('id', '=', workspaceId),
    executeRaw: (query) => query.execute(executor),
    transaction: (work) =>
      executor.isTransaction
        ? work(scope)
        : retryingConflicts(() =>
            executor.transaction().execute((trx) => work(scopeTo(trx, workspaceId))),
          ),
  };
  return scope;
}
