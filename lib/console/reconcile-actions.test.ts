import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { getAccountById } from '@/db/queries/accounts';
import { findAuditEvents } from '@/db/queries/audit-events';
import { getReconcileSourceByName } from '@/db/queries/reconcile-sources';
import { upsertRole } from '@/db/queries/roles';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { defineAdminAction } from '@/lib/auth/define-action';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { createReconcileSource } from '@/lib/reconcile/sources';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import {
  applyRun,
  createSource,
  createSourceSchema,
  previewSchema,
  previewSourceFile,
  resolveReviewItem,
  resolveReviewSchema,
  runSource,
  runSourceSchema,
  type RunReport,
} from './reconcile-actions';
import { loadReconcilePage, loadReconcileRunPage } from './reconcile-page';

const db = testDb();
afterAll(closeTestDb);

const deps = (sessionId: string) => ({ db: () => db, gate: () => resolveAdmin(db, sessionId), onSignedOut: (): never => { throw new Error('signed out'); } });
const actions = (sessionId: string) => ({
  preview: defineAdminAction('reconcile.preview_file', previewSchema, (input) => previewSourceFile(input), deps(sessionId)),
  create: defineAdminAction('reconcile.create_source', createSourceSchema, (input, ctx) => createSource(input, ctx), deps(sessionId)),
  run: defineAdminAction('reconcile.run', runSourceSchema, (input, ctx) => runSource(input, ctx), deps(sessionId)),
  apply: defineAdminAction('reconcile.apply_run', runSourceSchema, (input, ctx) => applyRun(input, ctx), deps(sessionId)),
  resolve: defineAdminAction('reconcile.resolve_review', resolveReviewSchema, (input, ctx) => resolveReviewItem(input, ctx), deps(sessionId)),
});
const form = (fields: Record<string, string | File>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};

const HEADER = 'Employee ID,Email,Status,Department';
const ROWS = ['1001,e1001@example.com,Active,Sales', '1002,e1002@example.com,Terminated,Engineering', '1003,e1003@example.com,Active,Engineering', '1004,e1004@example.com,Active,Support'];
const csv = (rows = ROWS, name = 'hr.csv') => new File([`${HEADER}\r\n${rows.join('\r\n')}\r\n`], name, { type: 'text/csv' });
const mapping = JSON.stringify({ columns: { 'Employee ID': 'employeeNumber', Email: 'email', Status: 'status', Department: 'department' }, statuses: { active: 'active', terminated: 'inactive' } });
const uploadDirs = async () => (await readdir(tmpdir())).filter((n) => n.startsWith('roster-upload-')).length;

/**
 * An organization with an admin, an auditor and three employees (1001 in Engineering, 1002 and
 * 1003); the CSV says 1001 is in Sales (drift), 1002 is terminated (stale), 1003 matches, and 1004
 * has no account (missing). The admin and the auditor are not in it (orphans).
 */
async function tenant() {
  const { org, connection } = await makeOrganization(db);
  await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
  const admin = await makeAdminSession(db, org.id, connection.id);
  const auditor = await makeAdminSession(db, org.id, connection.id, { admin: false });
  await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: auditor.account.id, roleKey: 'auditor' }, ctx));
  const people = new Map<string, string>();
  for (const n of ['1001', '1002', '1003']) people.set(n, (await makeAccount(db, org.id, { userName: `e${n}@example.com`, profile: { employeeNumber: n, department: 'Engineering' } })).id);
  return { org, connection, admin, auditor, people, as: actions(admin.sessionId), asAuditor: actions(auditor.sessionId) };
}
type Tenant = Awaited<ReturnType<typeof tenant>>;

async function hrSource(t: Tenant, fields: Record<string, string> = {}) {
  const state = await t.as.create(undefined, form({ name: 'Workday', kind: 'csv', mapping, on_drift: 'update', on_stale: 'suspend', on_orphan: 'review', maxSharePercent: '100', ...fields }));
  expect(state).toMatchObject({ ok: true, data: { message: 'Source Workday created.' } });
  return (state.data as { sourceId: string }).sourceId;
}
const statusOf = async (t: Tenant, n: string) => (await getAccountById(db, t.org.id, t.people.get(n)!))!;

describe('the reconciliation console: previewing a sample and creating a source', () => {
  it('a sample CSV is previewed from its upload: header, first rows, a suggested mapping and its problems; the temp file is gone after', async () => {
    const t = await tenant();
    const before = await uploadDirs();
    const state = await t.as.preview(undefined, form({ file: csv() }));
    expect(state.ok).toBe(true);
    const preview = state.data!;
    expect(preview).toMatchObject({ fileName: 'hr.csv', headers: ['Employee ID', 'Email', 'Status', 'Department'], statusColumn: 'Status', statusValues: ['Active', 'Terminated'] });
    expect(preview.rows.map((r) => r.line)).toEqual([2, 3, 4, 5]);
    expect(preview.suggested.columns).toMatchObject({ 'Employee ID': 'employeeNumber', Email: 'email', Status: 'status', Department: 'department' });
    expect(await uploadDirs()).toBe(before);
    // No file, an empty one, one that is not CSV at all: messages for the form.
    expect(await t.as.preview(undefined, form({}))).toEqual({ error: 'Choose a CSV file to preview.' });
    expect(await t.as.preview(undefined, form({ file: new File([''], 'empty.csv') }))).toEqual({ error: 'empty.csv is empty.' });
  });

  it('an admin creates a CSV source (audited as the admin); a bad mapping, a remediation the category does not allow, or a taken name is refused with a message', async () => {
    const t = await tenant();
    const id = await hrSource(t, { filePath: '/srv/hr/export.csv', scheduleEnabled: 'on', maxRowDropPercent: '15' });
    const stored = await getReconcileSourceByName(db, t.org.id, 'workday');
    expect(stored).toMatchObject({ id, kind: 'csv', filePath: '/srv/hr/export.csv', scheduleEnabled: true, maxRowDropPercent: 15, maxSharePercent: 100, remediation: { drift: 'update', stale: 'suspend', orphan: 'review', missing: 'report', conflict: 'report' } });
    expect(stored!.mapping.columns).toMatchObject({ 'Employee ID': 'employeeNumber' });
    expect(await findAuditEvents(db, t.org.id, { actions: ['reconcile.source_created'] })).toEqual([expect.objectContaining({ actorType: 'admin', actorId: t.admin.account.id, targetId: id })]);

    const noKey = JSON.stringify({ columns: { Department: 'department' }, statuses: {} });
    expect((await t.as.create(undefined, form({ name: 'No key', kind: 'csv', mapping: noKey }))).error).toMatch(/no key column: map a column to one of employeeNumber, externalId, email/);
    expect(await t.as.create(undefined, form({ name: 'Bad', kind: 'csv', mapping, on_missing: 'suspend' }))).toEqual({ error: 'Missing findings can be: report only, open a review item.' });
    expect(await t.as.create(undefined, form({ name: 'Bad', kind: 'csv', mapping: '{nope' }))).toMatchObject({ error: 'Check the highlighted fields.', fieldErrors: { mapping: ['The mapping is not valid JSON.'] } });
    expect(await t.as.create(undefined, form({ name: 'Bad', kind: 'csv', mapping, maxSharePercent: '101' }))).toMatchObject({ fieldErrors: { maxSharePercent: ['Max share must be at most 100.'] } });
    expect(await t.as.create(undefined, form({ name: ' ', kind: 'csv', mapping }))).toMatchObject({ fieldErrors: { name: ['Give the source a name.'] } });
    expect((await t.as.create(undefined, form({ name: 'WORKDAY', kind: 'csv', mapping }))).error).toMatch(/already exists/);
    const scim = await t.as.create(undefined, form({ name: 'Directory', kind: 'scim', on_orphan: 'suspend' }));
    expect(scim).toMatchObject({ ok: true, data: { message: 'Source Directory created.' } });
  });
});

describe('the reconciliation console: running a source', () => {
  it('a dry run of an upload changes nobody; Apply with the same file remediates as planned, audited with the run; another file is refused', async () => {
    const t = await tenant();
    const sourceId = await hrSource(t);
    const before = await uploadDirs();
    const dry = await t.as.run(undefined, form({ sourceId, dryRun: 'true', file: csv() }));
    expect(dry).toMatchObject({ ok: true, data: { dryRun: true, outcome: 'completed', rowCount: 4, counts: { matched: 1, drift: 1, stale: 1, missing: 1, orphan: 2, conflict: 0 }, actions: { update: 1, suspend: 1, review: 2 } } });
    const report = dry.data as RunReport;
    expect(report.message).toBe('A run now would suspend 1 account, update 1 account from the source, open 2 review items.');
    expect(await uploadDirs()).toBe(before);
    expect((await statusOf(t, '1002')).status).toBe('active');
    expect((await statusOf(t, '1001')).department).toBe('Engineering');

    // Apply needs the very file the dry run read.
    const other = csv([...ROWS.slice(0, 3), '1005,e1005@example.com,Active,Support']);
    expect(await t.as.apply(undefined, form({ sourceId, dryRunId: report.runId, file: other }))).toEqual({ error: 'This file is not the one the dry run read: run a dry run of it first.' });
    expect((await statusOf(t, '1002')).status).toBe('active');

    const applied = await t.as.apply(undefined, form({ sourceId, dryRunId: report.runId, file: csv() }));
    expect(applied).toEqual({ ok: true, data: { message: 'Run complete: suspended 1 account, updated 1 account, opened 2 review items.' } });
    expect((await statusOf(t, '1002')).status).toBe('suspended');
    expect((await statusOf(t, '1001')).department).toBe('Sales');
    const [suspended] = await findAuditEvents(db, t.org.id, { actions: ['account.suspended'] });
    expect(suspended).toMatchObject({ actorType: 'admin', actorId: t.admin.account.id, targetId: t.people.get('1002'), data: expect.objectContaining({ job: 'reconcile', category: 'stale' }) });

    // The pages: the source's last run, the runs newest first, the run with its findings by category.
    const page = await loadReconcilePage(db, t.org.id);
    expect(page.sources).toEqual([expect.objectContaining({ id: sourceId, name: 'Workday', lastRun: expect.objectContaining({ outcome: 'completed', dryRun: false }) })]);
    expect(page.runs.map((r) => [r.dryRun, r.trigger, r.filePath])).toEqual([
      [false, 'console', 'upload:hr.csv'],
      [true, 'console', 'upload:hr.csv'],
    ]);
    const realRunId = page.runs[0]!.runId;
    const run = await loadReconcileRunPage(db, t.org.id, realRunId);
    expect(run!.findings.map((f) => [f.category, f.actionOutcome])).toEqual(
      expect.arrayContaining([
        ['drift', 'applied'],
        ['stale', 'applied'],
        ['missing', null],
      ]),
    );
    const orphans = await loadReconcileRunPage(db, t.org.id, realRunId, { category: 'orphan' });
    expect(orphans!.findings.map((f) => [f.accountId, f.review?.state])).toEqual(expect.arrayContaining([[t.admin.account.id, 'open'], [t.auditor.account.id, 'open']]));
    expect(orphans!.findings).toHaveLength(2);
    // A category that is not one, or a forged cursor: the first page of every finding, not a 500.
    expect((await loadReconcileRunPage(db, t.org.id, realRunId, { category: 'nope', after: 'x' }))!.findings).toHaveLength(5);
    const paged = await loadReconcileRunPage(db, t.org.id, realRunId, { after: String(run!.findings[2]!.findingId) });
    expect(paged!.findings).toHaveLength(2);

    // A review item closed with a note, audited; once.
    const item = orphans!.findings[0]!;
    expect(await t.as.resolve(undefined, form({ findingId: String(item.findingId), resolution: 'dismissed', note: 'a contractor' }))).toEqual({ ok: true, data: { message: 'Review dismissed.' } });
    expect(await findAuditEvents(db, t.org.id, { actions: ['reconcile.review_resolved'] })).toEqual([expect.objectContaining({ actorId: t.admin.account.id, data: expect.objectContaining({ findingId: item.findingId, resolution: 'dismissed', note: 'a contractor' }) })]);
    expect((await t.as.resolve(undefined, form({ findingId: String(item.findingId), resolution: 'resolved' }))).error).toMatch(/only an open review can be resolved/);
  });

  it('a run the breaker halts changes nobody and is confirmed with the same file; a file the reader refuses is a failed run with why', async () => {
    const t = await tenant();
    const sourceId = await hrSource(t, { maxSharePercent: '1' });
    const halted = await t.as.run(undefined, form({ sourceId, dryRun: 'false', file: csv() }));
    expect(halted).toMatchObject({ ok: true, data: { outcome: 'halted', halted: true, confirmable: true } });
    const report = halted.data as RunReport;
    expect(report.haltReason).toMatch(/over the limit of 1%/);
    expect((await statusOf(t, '1002')).status).toBe('active');
    expect((await loadReconcilePage(db, t.org.id)).awaiting.map((r) => r.runId)).toEqual([report.runId]);

    // A dry run confirms nothing; a file other than the halted run's is refused.
    expect(await t.as.run(undefined, form({ sourceId, dryRun: 'true', confirmRunId: report.runId, file: csv() }))).toEqual({ error: 'A dry run confirms nothing: confirm with a real run.' });
    expect((await t.as.apply(undefined, form({ sourceId, confirmRunId: report.runId, file: csv(ROWS.slice(0, 3)) }))).error).toMatch(/not the one the halted run read/);
    expect(await t.as.apply(undefined, form({ sourceId, confirmRunId: report.runId, file: csv() }))).toEqual({ ok: true, data: { message: 'Run complete: suspended 1 account, updated 1 account, opened 2 review items.' } });
    expect((await statusOf(t, '1002')).status).toBe('suspended');
    expect(await findAuditEvents(db, t.org.id, { actions: ['reconcile.run_confirmed'] })).toEqual([expect.objectContaining({ actorId: t.admin.account.id, targetId: report.runId })]);

    const wrong = new File(['Person,Mail\r\nx,y\r\n'], 'other.csv');
    const failed = await t.as.run(undefined, form({ sourceId, dryRun: 'true', file: wrong }));
    expect(failed).toMatchObject({ ok: true, data: { outcome: 'failed' } });
    expect((failed.data as RunReport).message).toMatch(/^The run failed: the CSV header does not fit the mapping: .*Employee ID.*Nobody was changed\.$/);
    // No file for a source without a path, a file for the SCIM directory: messages.
    expect(await t.as.run(undefined, form({ sourceId, dryRun: 'true' }))).toEqual({ error: 'Choose the CSV file to read: this source has no file path.' });
    const scim = await createReconcileSource(db, { organizationId: t.org.id, actor: { type: 'admin', id: 'test' }, source: { name: 'Directory', kind: 'scim' } });
    expect(await t.as.run(undefined, form({ sourceId: scim.id, dryRun: 'true', file: csv() }))).toEqual({ error: 'Directory is the SCIM directory: it reads no file.' });
  });
});

describe('the reconciliation console: who may act, and on what', () => {
  it('an auditor is refused every action, each refusal audited, and nothing runs', async () => {
    const t = await tenant();
    const sourceId = await hrSource(t);
    for (const [name, state] of [
      ['reconcile.preview_file', await t.asAuditor.preview(undefined, form({ file: csv() }))],
      ['reconcile.create_source', await t.asAuditor.create(undefined, form({ name: 'Mine', kind: 'csv', mapping }))],
      ['reconcile.run', await t.asAuditor.run(undefined, form({ sourceId, dryRun: 'false', file: csv() }))],
      ['reconcile.resolve_review', await t.asAuditor.resolve(undefined, form({ findingId: '1', resolution: 'resolved' }))],
    ] as const) {
      expect(state, name).toEqual({ error: 'Only an administrator of this organization can do that.' });
    }
    const refused = await findAuditEvents(db, t.org.id, { actions: ['admin.action_refused'] });
    expect(refused.map((e) => (e.data as { action: string }).action).sort()).toEqual(['reconcile.create_source', 'reconcile.preview_file', 'reconcile.resolve_review', 'reconcile.run']);
    expect((await loadReconcilePage(db, t.org.id)).runs).toEqual([]);
    expect((await statusOf(t, '1002')).status).toBe('active');
  });

  it("another organization's source, run and finding are not found: nothing runs or changes there", async () => {
    const [a, b] = [await tenant(), await tenant()];
    const theirs = await hrSource(b);
    const run = await b.as.run(undefined, form({ sourceId: theirs, dryRun: 'false', file: csv() }));
    const runId = (run.data as RunReport).runId;
    const { findings } = (await loadReconcileRunPage(db, b.org.id, runId, { category: 'orphan' }))!;
    expect(await a.as.run(undefined, form({ sourceId: theirs, dryRun: 'true', file: csv() }))).toEqual({ error: 'No such source in this organization.' });
    const mine = await hrSource(a);
    expect((await a.as.apply(undefined, form({ sourceId: mine, dryRunId: runId, file: csv() }))).error).toMatch(/^no reconciliation run .* in this organization$/);
    expect((await a.as.resolve(undefined, form({ findingId: String(findings[0]!.findingId), resolution: 'resolved' }))).error).toMatch(/^no finding \d+ in this organization/);
    expect(await loadReconcileRunPage(db, a.org.id, runId)).toBeNull();
    expect(await loadReconcileRunPage(db, a.org.id, 'not-a-uuid')).toBeNull();
    expect((await loadReconcilePage(db, a.org.id)).runs).toEqual([]);
    expect((await loadReconcileRunPage(db, b.org.id, runId, { category: 'orphan' }))!.findings.map((f) => f.review?.state)).toEqual(['open', 'open']);
    expect(await a.as.run(undefined, form({ sourceId: 'nope', dryRun: 'true' }))).toMatchObject({ fieldErrors: { sourceId: ['No such source.'] } });
  });
});
