import { fillPlaceholders, getTableColumns, type Column } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * Prepared queries built once (built-once.ts) sent through postgres.js directly, where drizzle's
 * async layers would not keep the order in which they are executed (audit-events.ts
 * sendAuditEvents), and their rows mapped back to a table's typed rows (accounts.ts).
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
