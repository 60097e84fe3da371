import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { openReconcileSource } from './open-source';
import { stageRecords } from './stage';
import { eventsOf, findingsOf, makeSource, reconcile, stagedRowsOf, statusOf } from './testing/fixtures';
import type { SourceInput } from './sources';

const db = testDb();
afterAll(closeTestDb);

const fixture = (name: string) => path.join(import.meta.dirname, '..', 'sources', 'fixtures', name);

/** A source over a fixture file, run end to end through the CSV reader (as the CLI and the job do). */
async function runFile(source: Awaited<ReturnType<typeof makeSource>>, file: string, options: { dryRun?: boolean } = {}) {
  const opened = await openReconcileSource(db, source, { file: fixture(file) });
  return reconcile(db, source, opened.records, { filePath: opened.filePath, checksum: opened.checksum, ...options });
}

async function tenantWith(employees: { n: string; email?: string; department?: string; title?: string }[], source: Partial<SourceInput>) {
  const { org } = await makeOrganization(db);
  const accounts = new Map<string, Awaited<ReturnType<typeof makeAccount>>>();
  for (const e of employees) accounts.set(e.n, await makeAccount(db, org.id, { userName: e.email, profile: { employeeNumber: e.n, department: e.department ?? null, title: e.title ?? null } }));
  return { org, accounts, source: await makeSource(db, org.id, source) };
}

describe('reconciliation of HR exports (the CSV reader end to end)', () => {
  it('quoted commas, escaped quotes and quoted newlines: drift updated with the exact values, the status map makes stale', async () => {
    const mapping = {
      columns: { 'Employee ID': 'employeeNumber', Status: 'status', Department: 'department', Title: 'title', 'Termination Date': 'endDate' },
      statuses: { Active: 'active', Terminated: 'inactive', 'On Leave': 'inactive' },
    } as const;
    const { accounts, source } = await tenantWith(
      [
        { n: '1001', department: 'Research', title: 'Principal Engineer' },
        { n: '1002', department: 'Engineering', title: 'Rear Admiral' },
        { n: '1003', department: 'Kernel\nMaintenance\nTeam', title: 'Maintainer' },
        { n: '1004', department: 'Apollo', title: 'Director, Software Engineering' },
      ],
      { mapping, remediation: { drift: 'update', stale: 'suspend' } },
    );
    const run = await runFile(source, 'quoted.csv');
    expect(run).toMatchObject({ outcome: 'completed', rowCount: 4, badRowCount: 0, counts: { matched: 0, drift: 2, stale: 2, orphan: 0, missing: 0, conflict: 0 }, actions: { update: 2, suspend: 2 } });
    const findings = await findingsOf(db, run.runId);
    expect(findings.map((f) => [f.category, f.line])).toEqual([
      ['drift', 2],
      ['drift', 3],
      ['stale', 4],
      ['stale', 7],
    ]);
    expect(await statusOf(db, accounts.get('1001')!.id)).toMatchObject({ status: 'active', department: 'Research, Analytics' });
    expect(await statusOf(db, accounts.get('1002')!.id)).toMatchObject({ title: 'Rear Admiral, "Amazing" Grace' });
    expect((await statusOf(db, accounts.get('1003')!.id)).status).toBe('suspended');
    expect(findings[2]!.details).toMatchObject({ reason: 'inactive', endDate: '2024-03-31' });
    // "Director,\nSoftware Engineering" in the file: the quoted newline is part of the value, so the title drifts too
    expect(findings[3]!.details).toMatchObject({ reason: 'inactive', attributes: { title: { source: 'Director,\nSoftware Engineering', roster: 'Director, Software Engineering' } } });
    const [detail] = await db.execute<{ file_checksum: string; file_path: string }>((await import('drizzle-orm')).sql`select file_checksum, file_path from reconcile_runs where id = ${run.runId}::uuid`);
    expect(detail).toMatchObject({ file_checksum: expect.stringMatching(/^[0-9a-f]{64}$/), file_path: fixture('quoted.csv') });
  });

  it('a status map over a real export (Workday: "On Leave", "Leave of Absence", "Terminated")', async () => {
    const mapping = {
      columns: { 'Employee ID': 'employeeNumber', 'Email - Work': 'email', 'Worker Status': 'status', 'Termination Date': 'endDate' },
      statuses: { Active: 'active', 'On Leave': 'inactive', 'Leave of Absence': 'inactive', Terminated: 'inactive' },
    } as const;
    const people = ['ada', 'grace', 'linus', 'margaret', 'alan', 'katherine'].map((name, i) => ({ n: `W-10${i}`, email: `${name}@example.com` }));
    const { source } = await tenantWith(people, { mapping });
    const run = await runFile(source, 'workday.csv');
    expect(run).toMatchObject({ outcome: 'completed', rowCount: 6, counts: { matched: 3, stale: 3, drift: 0 } });
    expect((await findingsOf(db, run.runId)).map((f) => f.source_key)).toEqual(['employeeNumber:W-101', 'employeeNumber:W-102', 'employeeNumber:W-104']);
  });

  it('BOM, CRLF and empty lines read cleanly; a bad row among them halts and is reported with its line', async () => {
    const mapping = { columns: { 'Employee #': 'employeeNumber', 'Work Email': 'email', Status: 'status', 'Hire Date': 'startDate' }, statuses: { Active: 'active', Inactive: 'inactive' } } as const;
    const people = [
      { n: '2001', email: 'bom@example.com' },
      { n: '2002', email: 'crlf@example.com' },
      { n: '2004', email: 'last@example.com' },
      { n: '2999', email: 'nobody@example.com' },
    ];
    const { org, accounts, source } = await tenantWith(people, { mapping, remediation: { orphan: 'suspend', stale: 'suspend' } });
    const run = await runFile(source, 'bom-crlf.csv');
    expect(run).toMatchObject({ outcome: 'halted', confirmable: false, rowCount: 3, badRowCount: 1, badRows: [{ line: 7, reason: "email 'multi\r\nline@example.com' is not an email address" }] });
    expect(run.counts).toMatchObject({ matched: 2, stale: 1, orphan: 1 });
    expect(run.haltReason).toContain('1 bad row (line 7)');
    expect((await statusOf(db, accounts.get('2002')!.id)).status).toBe('active');
    expect((await statusOf(db, accounts.get('2999')!.id)).status).toBe('active');
    expect(await eventsOf(db, org.id, 'account.suspended')).toHaveLength(0);
  });

  it('a file cut short (the 2 GB-style truncated last line) deactivates nobody', async () => {
    const mapping = { columns: { 'Employee ID': 'employeeNumber', 'Work Email': 'email', Status: 'status', Title: 'title' }, statuses: { Active: 'active' } } as const;
    for (const file of ['truncated-row.csv', 'truncated-quote.csv']) {
      const base = file === 'truncated-row.csv' ? 3100 : 3000;
      const people = [1, 2, 3, 4].map((i) => ({ n: String(base + i), email: i === 1 ? 'one@example.com' : i === 2 ? 'two@example.com' : undefined, title: 'Engineer' }));
      const { accounts, source } = await tenantWith(people, { mapping, remediation: { orphan: 'deprovision' } });
      const run = await runFile(source, file);
      expect(run, file).toMatchObject({ outcome: 'halted', confirmable: false, rowCount: 1, badRowCount: 1, badRows: [{ line: 3 }] });
      expect(run.badRows[0]!.reason).toMatch(/cut short/);
      for (const account of accounts.values()) expect((await statusOf(db, account.id)).status).toBe('active');
    }
  });

  it('a header that does not fit the mapping fails the run (recorded, audited) before any row', async () => {
    const { org, source } = await tenantWith([{ n: '17' }], { mapping: { columns: { 'Employee ID': 'employeeNumber', Status: 'status' }, statuses: { Active: 'active' } }, remediation: { orphan: 'suspend' } });
    const run = await runFile(source, 'bamboohr.csv');
    expect(run).toMatchObject({ outcome: 'failed', rowCount: 0 });
    expect(run.failureReason).toBe("the CSV header does not fit the mapping: mapped column 'Employee ID' is not in the header");
    expect(await stagedRowsOf(db, run.runId)).toBe(0);
    expect(await eventsOf(db, org.id, 'reconcile.run_finished')).toEqual([expect.objectContaining({ data: expect.objectContaining({ outcome: 'failed', failureReason: run.failureReason }) })]);
  });

  it('a cell holding U+0000 makes its row bad (named, with its column) and the file is read to its end: never a COPY that hangs', async () => {
    const { accounts, source } = await tenantWith([{ n: '1', department: 'Research' }, { n: '3', department: 'Ops' }], {
      mapping: { columns: { 'Employee ID': 'employeeNumber', Status: 'status', Department: 'department' }, statuses: { Active: 'active' } },
      remediation: { drift: 'update', stale: 'suspend' },
    });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'roster-nul-')), 'nul.csv');
    writeFileSync(file, 'Employee ID,Status,Department\n1,Active,Re\u0000search\n2\u0000,Active,X\n3,Active,Operations\n');
    const opened = await openReconcileSource(db, source, { file });
    const run = await reconcile(db, source, opened.records, { filePath: opened.filePath, checksum: opened.checksum });
    // Two bad rows in three is more than the sanity check lets through: the run halts on them, having read the file to the end.
    expect(run).toMatchObject({ outcome: 'halted', rowCount: 1, badRowCount: 2 });
    expect(run.badRows).toEqual([
      { line: 2, reason: "department in column 'Department' contains the character U+0000" },
      { line: 3, reason: "employeeNumber in column 'Employee ID' contains the character U+0000" },
    ]);
    expect(await statusOf(db, accounts.get('3')!.id)).toMatchObject({ department: 'Ops' }); // halted: nothing applied
  });

  it('staging refuses a record holding U+0000 that reached it anyway, at once, and the pool goes on', async () => {
    const record = { line: 2, employeeNumber: '1', externalId: null, email: null, active: true, startDate: null, endDate: null, profile: { department: 'a\u0000b' }, extraAttributes: {} };
    const source = { kind: 'csv' as const, async *batches() { yield [{ kind: 'record' as const, record }]; } };
    await expect(stageRecords(db, randomUUID(), source as never)).rejects.toThrow('contains the character U+0000');
    const extra = { ...record, profile: {}, extraAttributes: { badge: 'x\u0000' } };
    await expect(stageRecords(db, randomUUID(), { kind: 'csv', async *batches() { yield [{ kind: 'record' as const, record: extra }]; } } as never)).rejects.toThrow('contains the character U+0000');
    const [row] = await db.execute<{ one: number }>((await import('drizzle-orm')).sql`select 1 as one`);
    expect(row!.one).toBe(1);
  });
});
