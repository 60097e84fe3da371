import { afterAll, describe, expect, it } from 'vitest';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { NOW, findingsOf, makeSource, reconcile, stagedRowsOf } from './testing/fixtures';

const db = testDb();
afterAll(closeTestDb);

const byCategory = (findings: Awaited<ReturnType<typeof findingsOf>>, category: string) => findings.filter((f) => f.category === category);

describe('reconciliation: categories and keys', () => {
  it('finds matched, drift, orphan, stale (inactive and past end date) and missing rows', async () => {
    const { org } = await makeOrganization(db);
    const same = await makeAccount(db, org.id, { profile: { employeeNumber: 'E1', department: 'Sales', title: 'Rep' } });
    const moved = await makeAccount(db, org.id, { profile: { employeeNumber: 'E2', department: 'Sales', title: 'Rep' } });
    const left = await makeAccount(db, org.id, { profile: { employeeNumber: 'E3' } });
    const ended = await makeAccount(db, org.id, { profile: { employeeNumber: 'E4' } });
    const orphan = await makeAccount(db, org.id, { profile: { employeeNumber: 'E9' } });
    const source = await makeSource(db, org.id);
    const run = await reconcile(db, source, [
      { employeeNumber: 'E1', email: same.email, active: true, profile: { department: 'Sales', title: 'Rep', email: same.email } },
      { employeeNumber: 'E2', email: moved.email, active: true, profile: { department: 'Marketing', title: 'Rep', email: moved.email } },
      { employeeNumber: 'E3', active: false, profile: { department: null, title: null } },
      { employeeNumber: 'E4', active: true, endDate: '2026-11-30', profile: { department: null, title: null } },
      { employeeNumber: 'E5', email: 'newhire@example.com', active: true, startDate: '2027-01-04', profile: { department: 'Ops', title: 'Analyst' } },
      { employeeNumber: 'E6', email: 'gone@example.com', active: false, profile: {} },
    ]);
    expect(run).toMatchObject({ outcome: 'completed', halted: false, rowCount: 6, badRowCount: 0 });
    expect(run.counts).toEqual({ matched: 1, drift: 1, orphan: 1, stale: 2, missing: 1, conflict: 0 });
    const findings = await findingsOf(db, run.runId);
    expect(byCategory(findings, 'drift')).toEqual([
      expect.objectContaining({ account_id: moved.id, source_key: 'employeeNumber:E2', line: 3, details: expect.objectContaining({ key: 'employeeNumber', attributes: { department: { source: 'Marketing', roster: 'Sales' } } }) }),
    ]);
    expect(byCategory(findings, 'stale').map((f) => [f.account_id, (f.details as { reason: string }).reason])).toEqual([
      [left.id, 'inactive'],
      [ended.id, 'ended'],
    ]);
    expect(byCategory(findings, 'orphan')).toEqual([expect.objectContaining({ account_id: orphan.id, source_key: null, line: null })]);
    expect(byCategory(findings, 'missing')).toEqual([expect.objectContaining({ account_id: null, source_key: 'employeeNumber:E5', details: expect.objectContaining({ email: 'newhire@example.com', startDate: '2027-01-04' }) })]);
    expect(findings.every((f) => f.action === 'report' && f.is_new)).toBe(true);
    expect(await stagedRowsOf(db, run.runId)).toBe(0);
  });

  it('matches by employee number, then externalId, then email only when its domain is verified', async () => {
    const { org } = await makeOrganization(db, { allowedDomains: ['example.com'] });
    const byEmp = await makeAccount(db, org.id, { profile: { employeeNumber: 'E1' } });
    const byExt = await makeAccount(db, org.id, { externalId: 'okta-2' });
    const byMail = await makeAccount(db, org.id, { userName: 'frank@example.com' });
    const carol = await makeAccount(db, org.id, { userName: 'carol@example.com' });
    const unverified = await makeAccount(db, org.id, { userName: 'dave@elsewhere.org' });
    const source = await makeSource(db, org.id, { mapping: { columns: { 'Employee ID': 'employeeNumber', Id: 'externalId', Email: 'email' }, statuses: {} } });
    const run = await reconcile(db, source, [
      // the employee number decides, although the email is carol's: byEmp, whose email drifts
      { employeeNumber: 'E1', email: 'carol@example.com', profile: { email: 'carol@example.com' } },
      { externalId: 'okta-2', email: byExt.email, profile: { email: byExt.email } },
      { email: 'frank@example.com', profile: { email: 'frank@example.com' } },
      { email: 'dave@elsewhere.org', profile: { email: 'dave@elsewhere.org' } },
    ]);
    expect(run).toMatchObject({ outcome: 'completed', haltReason: null });
    expect(run.counts).toMatchObject({ matched: 2, drift: 1, conflict: 0, missing: 1, orphan: 2 });
    const findings = await findingsOf(db, run.runId);
    expect(byCategory(findings, 'drift')).toEqual([
      expect.objectContaining({ account_id: byEmp.id, details: expect.objectContaining({ key: 'employeeNumber', attributes: { email: { source: 'carol@example.com', roster: byEmp.email } } }) }),
    ]);
    // an email outside the organization's verified domains matches nothing: missing, and dave is an orphan
    expect(byCategory(findings, 'missing').map((f) => f.source_key)).toEqual(['email:dave@elsewhere.org']);
    expect(byCategory(findings, 'orphan').map((f) => f.account_id).sort()).toEqual([carol.id, unverified.id].sort());
    expect(findings.some((f) => f.account_id === byExt.id || f.account_id === byMail.id)).toBe(false);
  });

  it('a row that could be several accounts is a conflict, and so is every row of several claiming one account', async () => {
    const { org } = await makeOrganization(db);
    const twinA = await makeAccount(db, org.id, { profile: { employeeNumber: 'E7' } });
    const twinB = await makeAccount(db, org.id, { profile: { employeeNumber: 'E7' } });
    const claimed = await makeAccount(db, org.id, { userName: 'erin@example.com', profile: { employeeNumber: 'E8' } });
    const source = await makeSource(db, org.id);
    const run = await reconcile(db, source, [
      { employeeNumber: 'E7', active: true },
      { employeeNumber: 'E8', active: true },
      { email: 'erin@example.com', active: true },
    ]);
    expect(run.counts).toMatchObject({ conflict: 3, matched: 0, orphan: 0, missing: 0 });
    const conflicts = byCategory(await findingsOf(db, run.runId), 'conflict');
    expect(conflicts[0]).toMatchObject({ account_id: null, line: 2, details: { reason: 'several_accounts', key: 'employeeNumber', candidates: [twinA.id, twinB.id].sort() } });
    expect(conflicts.slice(1).map((c) => [c.account_id, c.line, (c.details as { reason: string }).reason])).toEqual([
      [claimed.id, 3, 'several_rows'],
      [claimed.id, 4, 'several_rows'],
    ]);
    expect(conflicts[1]!.details).toMatchObject({ lines: [3, 4] });
  });

  it('never looks across organizations', async () => {
    const { org } = await makeOrganization(db);
    const { org: other } = await makeOrganization(db);
    await makeAccount(db, other.id, { profile: { employeeNumber: 'X1' } });
    const theirs = await makeAccount(db, other.id, { profile: { employeeNumber: 'X2' } });
    const source = await makeSource(db, org.id);
    const run = await reconcile(db, source, [{ employeeNumber: 'X1', active: true }]);
    expect(run.counts).toMatchObject({ missing: 1, matched: 0, orphan: 0 });
    expect((await findingsOf(db, run.runId)).some((f) => f.account_id === theirs.id)).toBe(false);
  });

  it('deprovisioned accounts never match', async () => {
    const { org } = await makeOrganization(db);
    const gone = await makeAccount(db, org.id, { profile: { employeeNumber: 'D1' } });
    const { sql } = await import('drizzle-orm');
    await db.execute(sql`update accounts set status = 'deprovisioned' where id = ${gone.id}::uuid`);
    const run = await reconcile(db, await makeSource(db, org.id), [{ employeeNumber: 'D1', active: true }]);
    expect(run.counts).toMatchObject({ missing: 1, matched: 0 });
    expect(run.runId).toBeTruthy();
    expect(NOW).toBeInstanceOf(Date);
  });
});
