import { fillPlaceholders, getTableColumns, type Column } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import type { Database } from '@/db';
import { clientOf } from './built-once';

/**
 * A short transaction in one round trip: BEGIN, the given statements and COMMIT are written to one
 * reserved connection together and run by the server in that order, so each statement starts
 * after the one before it has finished (a lock taken by the first is held by the time the next
 * takes its snapshot) and all of it commits or none does. For hot paths whose statements do not
 * depend on each other's answers in JavaScript (db/queries/accounts.ts: insertAccountUnlessMatched).
 *
 * Steps are the text and values of prepared queries built once (see `step`), sent through
 * postgres.js directly: its queries go to the connection in the order they are executed, which
 * drizzle's async layers would not keep. If any step fails, the ones after it fail too, COMMIT
 * ends the transaction as a rollback, and the first failure is thrown.
 */
export type Step<T> = { text: string; params: unknown[]; map: (rows: Record<string, unknown>[]) => T };

type PreparedInternals = { queryString?: string; params?: unknown[] };

/** A step from a prepared query built once (built-once.ts) and its placeholder values. */
export function step<T = Record<string, unknown>[]>(query: object, values: Record<string, unknown> = {}, map?: (rows: Record<string, unknown>[]) => T): Step<T> {
  const { queryString, params } = query as PreparedInternals;
  if (queryString === undefined || params === undefined) throw new Error('pipelined: not a prepared query (drizzle internals changed?)');
  return { text: queryString, params: fillPlaceholders(params, values), map: map ?? ((rows) => rows as T) };
}

/** Rows as a table's own `returning *` gives them (database column names), mapped to its typed row; `keys`: only these columns. */
export function tableRows<T>(table: PgTable, keys?: readonly string[]) {
  const columns = Object.entries(getTableColumns(table) as Record<string, Column>).filter(([key]) => !keys || keys.includes(key));
  return (rows: Record<string, unknown>[]): T[] =>
    rows.map((raw) => Object.fromEntries(columns.map(([key, column]) => [key, raw[column.name] === null ? null : column.mapFromDriverValue(raw[column.name])])) as T);
}

export async function pipelinedTransaction<T extends readonly unknown[]>(db: Database, steps: { [K in keyof T]: Step<T[K]> }): Promise<T> {
  const reserved = await clientOf(db).reserve();
  try {
    const queries = [
      reserved.unsafe('begin').execute(),
      ...steps.map((s) => reserved.unsafe(s.text, s.params as postgres.ParameterOrJSON<never>[], { prepare: true }).execute()),
      reserved.unsafe('commit').execute(),
    ];
    const settled = await Promise.allSettled(queries);
    const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failures.length > 0) throw (failures.find((f) => !isAbortedTransaction(f.reason)) ?? failures[0]!).reason;
    const results = settled.map((s) => (s as PromiseFulfilledResult<postgres.RowList<Record<string, unknown>[]>>).value);
    if (results[results.length - 1]!.command !== 'COMMIT') throw new Error(`pipelined transaction ended with ${results[results.length - 1]!.command}, not COMMIT`);
    return steps.map((s, i) => s.map([...results[i + 1]!])) as unknown as T;
  } finally {
    reserved.release();
  }
}

/** 25P02: a statement after a failed one in the same transaction (the failure itself is the news). */
function isAbortedTransaction(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '25P02';
}
