import { once } from 'node:events';
import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Database, Tx } from '@/db';

/**
 * One run's source records in a table of its own, `reconcile_stage_<run id>` (UNLOGGED, LIKE
 * reconcile_staged_records), loaded with COPY through the postgres.js client (`copy … from
 * stdin`.writable()): a million rows in seconds, streamed, never all in memory. The table is
 * dropped when the run ends (instant, nothing left to vacuum); tables of runs that are no longer
 * running (a process killed midway) are dropped by the next run.
 */
export type StagedRow = {
  line: number;
  employeeNumber: string | null;
  externalId: string | null;
  email: string | null;
  accountId: string | null;
  active: boolean | null;
  startDate: string | null;
  endDate: string | null;
  userName: string | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  department: string | null;
  title: string | null;
  manager: string | null;
  extraAttributes: Record<string, string> | null;
};

const TABLE_PREFIX = 'reconcile_stage_';
/** The run's staging table (its name from the run id: hex only). */
export function stageTableName(runId: string): string {
  const hex = runId.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`not a run id: ${runId}`);
  return `${TABLE_PREFIX}${hex}`;
}
const stageTable = (runId: string) => sql.identifier(stageTableName(runId));

const copyColumns = 'run_id, line, employee_number, external_id, email, account_id, active, start_date, end_date, user_name, display_name, given_name, family_name, department, title, manager, extra_attributes';

const ESCAPED = /[\\\t\n\r]/;
const ESCAPES = /[\\\t\n\r]/g;
const escapeOf = (c: string) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r');

const UNSTORABLE = 'a staged value contains the character U+0000, which PostgreSQL cannot store';

/** A value in COPY's text format: \N for null; backslash, tab, newline and carriage return escaped. */
function field(value: string | null): string {
  if (value === null) return '\\N';
  // COPY refuses U+0000, and postgres.js never settles a COPY the server failed (porsager/postgres#1173):
  // the load would hang. The sources make such a row a bad row first; this keeps any that did not from hanging.
  if (value.includes('\u0000')) throw new Error(UNSTORABLE);
  // Most values need no escaping: a test is cheaper than a replace that copies the string.
  return ESCAPED.test(value) ? value.replace(ESCAPES, escapeOf) : value;
}

/** One staged row as a COPY line (written out field by field: this runs a million times a run). */
function line(runId: string, r: StagedRow): string {
  const extra = r.extraAttributes && Object.keys(r.extraAttributes).length > 0 ? JSON.stringify(r.extraAttributes) : null;
  if (extra !== null && Object.values(r.extraAttributes!).some((v) => v.includes('\u0000'))) throw new Error(UNSTORABLE); // jsonb refuses it too
  const active = r.active === null ? '\\N' : r.active ? 't' : 'f';
  return `${runId}\t${r.line}\t${field(r.employeeNumber)}\t${field(r.externalId)}\t${field(r.email)}\t${field(r.accountId)}\t${active}\t${field(r.startDate)}\t${field(r.endDate)}\t${field(r.userName)}\t${field(r.displayName)}\t${field(r.givenName)}\t${field(r.familyName)}\t${field(r.department)}\t${field(r.title)}\t${field(r.manager)}\t${field(extra)}`;
}

export type StagingCopy = { write(rows: StagedRow[]): Promise<void>; end(): Promise<void>; abort(error: Error): void };

/**
 * Opens a COPY into the staging table for this run, on a connection of its own until end or abort.
 * The table is created and loaded in one transaction, so the COPY can be FREEZE: its rows are
 * written frozen and all-visible, and the diff (their first reader) does not rewrite every page of
 * a million rows to set hint bits. Until the commit nobody else sees the table; an aborted or
 * killed load leaves nothing behind.
 */
export async function openStagingCopy(db: Database, runId: string): Promise<StagingCopy> {
  // drizzle's postgres-js handle carries its client at runtime; its exported type does not say so.
  const client = (db as Database & { $client: postgres.Sql }).$client;
  const reserved = await client.reserve();
  const name = stageTableName(runId);
  let stream: Awaited<ReturnType<ReturnType<postgres.ReservedSql['unsafe']>['writable']>>;
  try {
    await reserved.unsafe('begin');
    await reserved.unsafe(`create unlogged table ${name} (like reconcile_staged_records)`);
    stream = await reserved.unsafe(`copy ${name} (${copyColumns}) from stdin with (freeze)`).writable();
  } catch (error) {
    await reserved.unsafe('rollback').catch(() => undefined);
    reserved.release();
    throw error;
  }
  let failed: Error | null = null;
  let wake: (() => void) | null = null;
  let released = false;
  const release = async (how: 'commit' | 'rollback') => {
    if (released) return;
    released = true;
    try {
      await reserved.unsafe(how);
    } finally {
      reserved.release();
    }
  };
  stream.on('error', (error: Error) => {
    failed = error;
    wake?.();
  });
  stream.on('drain', () => wake?.());
  return {
    async write(rows) {
      if (failed) throw failed;
      if (rows.length === 0) return;
      if (!stream.write(`${rows.map((r) => line(runId, r)).join('\n')}\n`)) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      if (failed) throw failed;
    },
    async end() {
      try {
        if (failed) throw failed;
        const done = Promise.race([once(stream, 'finish'), once(stream, 'error').then(([e]) => Promise.reject(e as Error))]);
        stream.end();
        await done;
      } catch (error) {
        await release('rollback').catch(() => undefined);
        throw error;
      }
      await release('commit');
    },
    abort(error) {
      stream.destroy(error);
      void release('rollback').catch(() => undefined);
    },
  };
}

export async function deleteStagedRecords(db: Tx, runId: string): Promise<void> {
  await db.execute(sql`drop table if exists ${stageTable(runId)}`);
}

/** The staging tables of runs that are no longer running (killed midway). */
export async function deleteAbandonedStagedRecords(db: Tx): Promise<void> {
  const rows = await db.execute<{ name: string }>(sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind = 'r' and c.relname ~ ${`^${TABLE_PREFIX}[0-9a-f]{32}$`}
      and not exists (select 1 from reconcile_runs r where replace(r.id::text, '-', '') = substr(c.relname, ${TABLE_PREFIX.length + 1}) and r.outcome = 'running')`);
  for (const { name } of rows) await db.execute(sql`drop table if exists ${sql.identifier(name)}`);
}

/** How many records a run has staged (null: its table is gone). */
export async function countStagedRecords(db: Tx, runId: string): Promise<number | null> {
  const [exists] = await db.execute<{ t: string | null }>(sql`select to_regclass(${stageTableName(runId)}) as t`);
  if (!exists?.t) return null;
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from ${stageTable(runId)}`);
  return row?.n ?? 0;
}

/** Fresh statistics for the staging table after a large load, so the diff is planned on its real size. */
export async function analyzeStagedRecords(db: Tx, runId: string): Promise<void> {
  await db.execute(sql`analyze ${stageTable(runId)}`);
}
