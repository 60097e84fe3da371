import { getTableColumns, sql, type Column, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '@/db';

/**
 * Rows passed to a statement as one JSON parameter (`jsonb_populate_record(set)`), so a write of
 * any number of rows is one prepared statement whose text never changes.
 */

/** A row keyed by database column names, from one keyed by the schema's names (absent: null). */
export function byColumnName(table: PgTable, row: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const columns: Record<string, Column> = getTableColumns(table);
  const out: Record<string, unknown> = {};
  for (const key of keys) out[columns[key]!.name] = row[key] ?? null; // dates become ISO strings in JSON.stringify
  return out;
}

/** `a, b, c` (or `r.a, r.b, r.c`): the database names of these columns, for an insert's column list. */
export function columnList(table: PgTable, keys: readonly string[], prefix = '') {
  const columns: Record<string, Column> = getTableColumns(table);
  return sql.raw(keys.map((k) => `${prefix}${columns[k]!.name}`).join(', '));
}

/**
 * A data-modifying statement ending in `returning 1 as one` as a prepared query that answers how
 * many rows it wrote: drizzle prepares selects, so the write is a CTE of one.
 */
export function preparedWrite(db: Tx, name: string, statement: SQL) {
  const written = db.$with('written', { one: sql<number>`one` }).as(statement);
  return db.with(written).select({ rows: sql<number>`count(*)::int` }).from(written).prepare(name);
}
