import { afterAll, describe, expect, it } from 'vitest';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { findingsPage, getRunDetailOrThrow, getSourceOrThrow, listRuns, listSources, previousRunDiff } from './read';
import { makeSource, reconcile } from './testing/fixtures';

const db = testDb();
afterAll(closeTestDb);

const mapping = { columns: { 'Employee ID': 'employeeNumber', Status: 'status' }, statuses: { active: 'active', terminated: 'inactive' } } as const;

describe('reconciliation read API (the console)', () => {
  it('sources with their last run, runs in keyset pages, a run with its figures, findings by category, the previous-run diff; org-scoped', async () => {
    const { org } = await makeOrganization(db);
    const { org: other } = await makeOrganization(db);
    const a = await makeAccount(db, org.id, { profile: { employeeNumber: 'E1' } });
    const b = await makeAccount(db, org.id, { profile: { employeeNumber: 'E2' } });
    const source = await makeSource(db, org.id, { name: 'Workday', mapping });
    const first = await reconcile(db, source, [{ employeeNumber: 'E1', active: true }, { employeeNumber: 'E3', active: true }]);
    const second = await reconcile(db, source, [{ employeeNumber: 'E1', active: false }, { employeeNumber: 'E2', active: true }]);
    const third = await reconcile(db, source, [{ employeeNumber: 'E1', active: false }, { employeeNumber: 'E2', active: true }], { dryRun: true });

    expect(await listSources(db, org.id)).toEqual([expect.objectContaining({ id: source.id, name: 'Workday', kind: 'csv', lastRun: expect.objectContaining({ id: third.runId, outcome: 'completed', dryRun: true }) })]);
    expect(await listSources(db, other.id)).toEqual([]);
    expect(await getSourceOrThrow(db, org.id, source.id)).toMatchObject({ name: 'Workday', remediation: { orphan: 'report' } });
    await expect(getSourceOrThrow(db, other.id, source.id)).rejects.toThrow(/no reconciliation source/);

    const page1 = await listRuns(db, org.id, { limit: 2 });
    expect(page1.runs.map((r) => r.runId)).toEqual([third.runId, second.runId]);
    const page2 = await listRuns(db, org.id, { limit: 2, cursor: page1.nextCursor });
    expect(page2).toEqual({ runs: [expect.objectContaining({ runId: first.runId, source: 'Workday' })], nextCursor: null });
    await expect(listRuns(db, org.id, { cursor: 'nope' })).rejects.toThrow(/not a cursor/);
    expect((await listRuns(db, other.id)).runs).toEqual([]);

    expect(await getRunDetailOrThrow(db, org.id, second.runId)).toMatchObject({ source: 'Workday', counts: { stale: 1, matched: 1, missing: 0, orphan: 0 }, newCount: 1, resolvedCount: 2, previousRunId: first.runId, halted: false, confirmable: false });
    await expect(getRunDetailOrThrow(db, other.id, second.runId)).rejects.toThrow(/no reconciliation run/);

    const firstFindings = await findingsPage(db, org.id, { runId: first.runId });
    expect(firstFindings.findings.map((f) => [f.category, f.accountId, f.userName])).toEqual([
      ['missing', null, null],
      ['orphan', b.id, b.userName],
    ]);
    const orphans = await findingsPage(db, org.id, { runId: first.runId, category: 'orphan', limit: 1 });
    expect(orphans).toMatchObject({ findings: [{ category: 'orphan' }], nextCursor: null });
    const paged = await findingsPage(db, org.id, { runId: first.runId, limit: 1 });
    expect((await findingsPage(db, org.id, { runId: first.runId, cursor: paged.nextCursor, limit: 1 })).findings.map((f) => f.category)).toEqual(['orphan']);
    await expect(findingsPage(db, other.id, { runId: first.runId })).rejects.toThrow(/no reconciliation run/);
    await expect(findingsPage(db, org.id, { runId: first.runId, category: 'weird' })).rejects.toThrow(/category must be one of/);

    const diff = await previousRunDiff(db, org.id, second.runId);
    expect(diff).toMatchObject({ previousRunId: first.runId, newCount: 1, resolvedCount: 2 });
    expect(diff.new.map((f) => [f.category, f.accountId])).toEqual([['stale', a.id]]);
    expect(diff.resolved.map((f) => f.category).sort()).toEqual(['missing', 'orphan']);
  });
});
