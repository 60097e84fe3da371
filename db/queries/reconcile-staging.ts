import { once } from 'node:events';
import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Database, Tx } from '@/db';

/**
 * One run's source records in reconcile_staged_records (UNLOGGED), loaded with COPY through the
 * postgres.js client (`copy … from stdin`.writable()): a million rows in seconds, streamed, never
 * all in memory. Rows are deleted when the run ends; rows of runs that are no longer running (a
 * process killed midway) are deleted by the next run.
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
  const stream = await client.unsafe(`copy reconcile_staged_records (${copyColumns}) from stdin`).writable();
  let failed: Error | null = null;
  stream.on('error', (error: Error) => void (failed = error));
  return {
    async write(rows) {
      if (failed) throw failed;
      if (rows.length === 0) return;
      if (!stream.write(`${rows.map((r) => line(runId, r)).join('\n')}\n`)) await Promise.race([once(stream, 'drain'), once(stream, 'error')]);
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
  await db.execute(sql`delete from reconcile_staged_records where run_id = ${runId}::uuid`);
}

/** Rows left by runs that are no longer running (killed midway). */
export async function deleteAbandonedStagedRecords(db: Tx): Promise<void> {
  await db.execute(sql`delete from reconcile_staged_records s where not exists (select 1 from reconcile_runs r where r.id = s.run_id and r.outcome = 'running')`);
}

export type DuplicateKey = { key: 'employeeNumber' | 'externalId' | 'email'; value: string; lines: number[] };

/** Keys that appear on more than one row of the run (a sanity error): the first few, and how many keys in all. */
export async function findDuplicateStagedKeys(db: Tx, runId: string, limit = 10): Promise<{ total: number; first: DuplicateKey[] }> {
  const rows = await db.execute<{ key: DuplicateKey['key']; value: string; lines: number[]; total: number }>(sql`
    with d as (
      select 'employeeNumber' as key, employee_number as value, array_agg(line order by line) as lines from reconcile_staged_records
        where run_id = ${runId}::uuid and employee_number is not null group by employee_number having count(*) > 1
      union all
      select 'externalId', external_id, array_agg(line order by line) from reconcile_staged_records
        where run_id = ${runId}::uuid and external_id is not null group by external_id having count(*) > 1
      union all
      select 'email', email, array_agg(line order by line) from reconcile_staged_records
        where run_id = ${runId}::uuid and email is not null group by email having count(*) > 1)
    select key, value, lines[1:5] as lines, count(*) over ()::int as total from d order by lines[1] limit ${limit}`);
  return { total: rows[0]?.total ?? 0, first: rows.map(({ key, value, lines }) => ({ key, value, lines })) };
}
