import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { finishJobRun, insertJobRun } from '@/db/queries/job-runs';
import { runJob } from '@/lib/jobs/run-job';
import type { JobDefinition } from '@/lib/jobs/types';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { JOB_RUNS_PAGE_SIZE, loadJobRunPage, loadJobsPage } from './jobs-page';

const db = testDb();
afterAll(closeTestDb);
const actor = { type: 'cli' as const, id: 'tester' };

/** A job of this test that halts until confirmed, planning one account. */
function haltingJob(): JobDefinition {
  return {
    name: `test-${randomUUID().slice(0, 8)}`,
    summary: 'a test job',
    scope: 'organization',
    schedule: '*/5 * * * *',
    run: async ({ confirmed }) => {
      const planned = [{ accountId: randomUUID(), userName: 'a@example.com', action: 'suspend', clause: 'idle' }];
      return confirmed ? { counts: { suspend: 1 } } : { counts: { suspend: 1 }, halted: { reason: 'too many' }, planned, details: { population: 3 } };
    },
  };
}
const deployment: JobDefinition = { name: 'test-housekeeping', summary: 'sweeps', scope: 'deployment', schedule: '30 3 * * *', run: async () => ({ counts: {} }) };

async function insertRuns(organizationId: string, job: string, n: number, status: 'succeeded' | 'failed' = 'succeeded') {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const run = await insertJobRun(db, { job, organizationId, dryRun: false, asOf: new Date(), trigger: 'schedule', startedBy: 'system', attempt: 1, queueJobId: null, confirmsRunId: null });
    await finishJobRun(db, run.id, { status, counts: { suspend: 0 }, haltReason: null, error: status === 'failed' ? 'boom' : null, details: {} });
    ids.push(run.id);
  }
  return ids;
}

describe('the job runs page data', () => {
  it("pages the organization's history newest first with a keyset cursor, filters by job and status, and never shows another organization's runs", async () => {
    const [{ org }, { org: other }] = [await makeOrganization(db), await makeOrganization(db)];
    const job = haltingJob();
    const ids = [...(await insertRuns(org.id, job.name, JOB_RUNS_PAGE_SIZE + 3)), ...(await insertRuns(org.id, 'other-job', 2, 'failed'))];
    await insertRuns(other.id, job.name, 3);
    const first = await loadJobsPage(db, org.id, {}, [job]);
    expect(first.history.rows.map((r) => r.id)).toEqual([...ids].reverse().slice(0, JOB_RUNS_PAGE_SIZE));
    const second = await loadJobsPage(db, org.id, { older: first.history.olderThan! }, [job]);
    expect(second.history.rows.map((r) => r.id)).toEqual([...ids].reverse().slice(JOB_RUNS_PAGE_SIZE));
    expect(second.history.olderThan).toBeNull();
    expect((await loadJobsPage(db, org.id, { status: 'failed' }, [job])).history.rows.map((r) => r.job)).toEqual(['other-job', 'other-job']);
    expect((await loadJobsPage(db, org.id, { job: job.name }, [job])).history.rows).toHaveLength(JOB_RUNS_PAGE_SIZE);
    // A cursor of another organization's run is no cursor at all.
    const foreign = (await loadJobsPage(db, other.id, {}, [job])).history.rows[0]!.id;
    expect((await loadJobsPage(db, org.id, { older: foreign }, [job])).history.rows[0]!.id).toBe(ids.at(-1));
  });

  it('lists the newest halted run of each job awaiting confirmation, with its stored plan, until it is confirmed', async () => {
    const { org } = await makeOrganization(db);
    const job = haltingJob();
    await runJob(db, job, { organizationId: org.id, trigger: 'schedule', actor, now: new Date() });
    const newer = await runJob(db, job, { organizationId: org.id, trigger: 'schedule', actor, now: new Date() });
    await runJob(db, job, { organizationId: org.id, trigger: 'cli', actor, now: new Date(), dryRun: true });
    const page = await loadJobsPage(db, org.id, {}, [job, deployment]);
    expect(page.halted.map((h) => h.id)).toEqual([newer.runId]);
    expect(page.halted[0]).toMatchObject({ haltReason: 'too many', summary: 'a test job', planned: { total: 1, accounts: [expect.objectContaining({ userName: 'a@example.com' })] } });
    expect(page.jobs).toEqual([expect.objectContaining({ name: job.name, scheduleWords: 'every 5 minutes', lastRun: expect.objectContaining({ id: newer.runId, status: 'halted' }) })]);
    expect(page.deploymentJobs).toEqual([expect.objectContaining({ name: 'test-housekeeping', scheduleWords: 'daily at 03:30 UTC' })]);

    const detail = await loadJobRunPage(db, org.id, newer.runId, [job]);
    expect(detail).toMatchObject({ awaitingConfirmation: true, details: { population: 3 }, planned: { total: 1 } });
    const confirmed = await runJob(db, job, { organizationId: org.id, trigger: 'console', actor, now: new Date(), confirmRunId: newer.runId });
    expect((await loadJobsPage(db, org.id, {}, [job])).halted).toEqual([]);
    expect(await loadJobRunPage(db, org.id, newer.runId, [job])).toMatchObject({ awaitingConfirmation: false, confirmingRuns: [expect.objectContaining({ id: confirmed.runId, status: 'succeeded' })] });
  });

  it("answers null for another organization's run", async () => {
    const [{ org }, { org: other }] = [await makeOrganization(db), await makeOrganization(db)];
    const job = haltingJob();
    const theirs = await runJob(db, job, { organizationId: other.id, trigger: 'schedule', actor, now: new Date() });
    expect(await loadJobRunPage(db, org.id, theirs.runId, [job])).toBeNull();
    expect(await loadJobRunPage(db, other.id, theirs.runId, [job])).not.toBeNull();
  });
});
