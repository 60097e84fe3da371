import { createHash } from 'node:crypto';
import { fillPlaceholders, type Column } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Database } from '@/db';
import { pgError } from '@/lib/errors';
import { clientOf } from './built-once';

/**
 * A prepared statement (built once, built-once.ts) run under transaction-scoped advisory locks as
 * ONE autocommit statement: a PL/pgSQL function whose body is the statement's own text (its $n are
 * the function's arguments) takes the locks, then runs it with RETURN QUERY. A volatile function
 * takes a fresh snapshot for each statement in it, so the statement sees every transaction that
 * committed while it waited for the locks, as the same statement after `begin; select
 * pg_advisory_xact_lock(…)` in a transaction of its own would; the locks are held until the
 * statement's implicit transaction commits. For a hot path whose transaction is just "lock, then
 * write" (db/queries/accounts.ts: insertAccountUnlessMatched): one round trip and one socket write
 * instead of BEGIN, the locks, the statement and COMMIT sent together, each of which the driver
 * and PostgreSQL handled and answered on its own.
 *
 * The function is derived from the code, not written in a migration: its name carries a digest of
 * its text, it is created (CREATE OR REPLACE) the first time a database lacks it, and a changed
 * statement makes a function of another name, so app versions deployed side by side each call
 * their own. Every argument is text; the statement must cast each placeholder (`$1::jsonb`).
 */
type PreparedInternals = { queryString?: string; params?: unknown[] };

export type LockedStatement = { name: string; create: string; call: string; prepared: PreparedInternals };

export function lockedStatement(query: object, columns: Column[]): LockedStatement {
  const prepared = query as PreparedInternals;
  if (prepared.queryString === undefined || prepared.params === undefined) throw new Error('locked-statement: not a prepared query (drizzle internals changed?)');
  const n = prepared.params.length;
  const args = Array.from({ length: n + 1 }, () => 'text').join(', ');
  const out = columns.map((c) => `${c.name} ${c.getSQLType()}`).join(', ');
  const body = `
declare
  lock_id text;
begin
  foreach lock_id in array string_to_array($${n + 1}, ',') loop
    perform pg_advisory_xact_lock(lock_id::bigint);
  end loop;
  return query ${prepared.queryString};
end`;
  const define = (name: string) => `create or replace function ${name}(${args}) returns table (${out}) language plpgsql volatile as $roster_locked$
#variable_conflict use_column
${body}
$roster_locked$`;
  // The name is a digest of everything the definition says: another definition, another function.
  const name = `roster_locked_${createHash('sha256').update(define('')).digest('hex').slice(0, 16)}`;
  const create = define(name);
  const call = `select * from ${name}(${Array.from({ length: n + 1 }, (_, i) => `$${i + 1}`).join(', ')})`;
  return { name, create, call, prepared };
}

/** A placeholder's value as the text argument the statement casts. */
function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') throw new Error('locked-statement: pass objects as JSON text');
  return String(value);
}

/** Runs it: the locks (ids from person-locks.ts lockIds, taken in the order given), then the statement with these placeholder values. */
export async function runLocked(db: Database, statement: LockedStatement, lockIds: readonly bigint[], values: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const client = clientOf(db);
  const params = [...fillPlaceholders(statement.prepared.params!, values).map(asText), lockIds.map(String).join(',')];
  const run = () => client.unsafe(statement.call, params as postgres.ParameterOrJSON<never>[], { prepare: true });
  try {
    return [...(await run())];
  } catch (error) {
    // 42883: no such function in this database yet (a new deployment, a changed statement).
    if (pgError(error)?.code !== '42883') throw error;
    // Another instance may be creating it at the same moment: its error is not ours; the retry tells.
    const refused = await client.unsafe(statement.create).then(() => null, (e: unknown) => e);
    try {
      return [...(await run())];
    } catch (again) {
      if (pgError(again)?.code !== '42883') throw again;
      throw new LockedStatementUnavailable(statement.name, refused);
    }
  }
}

/** The function could not be created (the database user may not create functions): callers take their slower path. */
export class LockedStatementUnavailable extends Error {
  constructor(name: string, cause: unknown) {
    super(`locked-statement: function ${name} could not be created (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
}
