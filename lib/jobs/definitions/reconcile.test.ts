import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getJobRun } from '@/db/queries/job-runs';
import { listRuns } from '@/lib/reconcile/read';
import { makeSource, statusOf } from '@/lib/reconcile/testing/fixtures';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { runJob } from '../run-job';
import { reconcileJob } from './reconcile';

const db = testDb();
const made: string[] = [];
afterAll(async () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  await closeTestDb();
});

const mapping = { columns: { 'Employee ID': 'employeeNumber', Status: 'status' }, statuses: { Active: 'active', Terminated: 'inactive' } } as const;
function hrFile(rows: [string, string][]) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'recon-job-')), 'hr.csv');
  made.push(path.dirname(file));
  writeFileSync(file, `Employee ID,Status\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  return file;
}
const schedule = (organizationId: string, confirmRunId: string | null = null) =>
  runJob(db, reconcileJob, { organizationId, trigger: 'schedule', actor: { type: 'system', id: 'reconcile' }, now: new Date(), confirmRunId });

describe('reconcile job', () => {
  it('is a daily organization job over the organizations with a scheduled source', async () => {
    expect(reconcileJob).toMatchObject({ name: 'reconcile', scope: 'organization', schedule: '45 2 * * *' });
    const { org } = await makeOrganization(db);
    const { org: unscheduled } = await makeOrganization(db);
    await makeSource(db, org.id, { mapping, filePath: hrFile([]), scheduleEnabled: true });
    await makeSource(db, unscheduled.id, { mapping, filePath: hrFile([]) });
    const selected = await reconcileJob.selectOrganizations!(db, new Date());
    expect(selected).toContain(org.id);
    expect(selected).not.toContain(unscheduled.id);
  });

  it('reconciles each scheduled source: a job run and a reconcile run per source, pointing at it', async () => {
    const { org } = await makeOrganization(db);
    const leaver = await makeAccount(db, org.id, { profile: { employeeNumber: 'E1' } });
    await makeAccount(db, org.id, { profile: { employeeNumber: 'E2' } });
    const hr = await makeSource(db, org.id, { name: 'Workday', mapping, filePath: hrFile([['E1', 'Terminated'], ['E2', 'Active']]), scheduleEnabled: true, remediation: { stale: 'suspend' } });
    const broken = await makeSource(db, org.id, { name: 'Old HR', mapping, filePath: '/nonexistent/old-hr.csv', scheduleEnabled: true });
    const outcome = await schedule(org.id);
    expect(outcome).toMatchObject({ status: 'succeeded', counts: { runs: 2, halted: 0, failed: 1, suspend: 1 } });
    expect((await statusOf(db, leaver.id)).status).toBe('suspended');
    const { runs } = await listRuns(db, org.id);
    expect(runs.map((r) => [r.source, r.outcome, r.jobRunId, r.trigger]).sort()).toEqual([
      ['Old HR', 'failed', outcome.runId, 'schedule'],
      ['Workday', 'completed', outcome.runId, 'schedule'],
    ]);
    expect(runs.find((r) => r.sourceId === broken.id)!.failureReason).toBe('cannot read /nonexistent/old-hr.csv: no such file');
    expect(runs.find((r) => r.sourceId === hr.id)!.fileChecksum).toMatch(/^[0-9a-f]{64}$/);
    expect((await getJobRun(db, outcome.runId))!.details).toMatchObject({ findings: { stale: 1, matched: 1 }, runs: expect.arrayContaining([expect.objectContaining({ source: 'Workday', outcome: 'completed' })]) });
  });

  it('halts when a source halts; confirming the job run confirms that run, which proceeds', async () => {
    const { org } = await makeOrganization(db);
    const people = [];
    for (let i = 1; i <= 5; i++) people.push(await makeAccount(db, org.id, { profile: { employeeNumber: `E${i}` } }));
    await makeSource(db, org.id, { mapping, filePath: hrFile([['E1', 'Active'], ['E2', 'Active'], ['E3', 'Terminated'], ['E4', 'Terminated'], ['E5', 'Active']]), scheduleEnabled: true, remediation: { stale: 'suspend' }, maxSharePercent: 20 });
    const halted = await schedule(org.id);
    expect(halted).toMatchObject({ status: 'halted', counts: { halted: 1, suspend: 2 } });
    expect(halted.haltReason).toMatch(/over the limit of 20%/);
    expect((await statusOf(db, people[2]!.id)).status).toBe('active');
    const confirmed = await schedule(org.id, halted.runId);
    expect(confirmed).toMatchObject({ status: 'succeeded', confirmsRunId: halted.runId, counts: { suspend: 2, halted: 0 } });
    expect((await statusOf(db, people[2]!.id)).status).toBe('suspended');
    const { runs } = await listRuns(db, org.id);
    expect(runs[0]).toMatchObject({ jobRunId: confirmed.runId, confirmsRunId: runs[1]!.runId });
  });
});
