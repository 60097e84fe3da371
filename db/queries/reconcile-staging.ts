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

/** A value in COPY's text format: \N for null; backslash, tab, newline and carriage return escaped. */
function field(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function line(runId: string, r: StagedRow): string {
  const extra = r.extraAttributes && Object.keys(r.extraAttributes).length > 0 ? JSON.stringify(r.extraAttributes) : null;
  return [runId, r.line, r.employeeNumber, r.externalId, r.email, r.accountId, r.active, r.startDate, r.endDate, r.userName, r.displayName, r.givenName, r.familyName, r.department, r.title, r.manager, extra]
    .map(field)
    .join('\t');
}

export type StagingCopy = { write(rows: StagedRow[]): Promise<void>; end(): Promise<void>; abort(error: Error): void };

/** Opens a COPY into the staging table for this run (one pooled connection, until end or abort). */
export async function openStagingCopy(db: Database, runId: string): Promise<StagingCopy> {
  // drizzle's postgres-js handle carries its client at runtime; its exported type does not say so.
  const client = (db as Database & { $client: postgres.Sql }).$client;
  await db.execute(sql`create unlogged table ${stageTable(runId)} (like reconcile_staged_records)`);
  const stream = await client.unsafe(`copy ${stageTableName(runId)} (${copyColumns}) from stdin`).writable();
  let failed: Error | null = null;
  let wake: (() => void) | null = null;
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
      if (failed) throw failed;
      const done = Promise.race([once(stream, 'finish'), once(stream, 'error').then(([e]) => Promise.reject(e as Error))]);
      stream.end();
      await done;
    },
    abort(error) {
      stream.destroy(error);
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
