import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { finishJobRun, getJobRun, insertJobRun } from '@/db/queries/job-runs';
import type { Actor } from '@/lib/audit/record-event';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { PLANNED_KEPT, runJob } from './run-job';
import type { JobDefinition, JobInput, JobResult } from './types';

const db = testDb();
afterAll(closeTestDb);

const actor: Actor = { type: 'cli', id: 'tester' };
const now = new Date('2031-05-06T07:08:09Z');

/** A job of this test: its run() is `behaviour`, and each input it was given is kept. */
function job(behaviour: (input: JobInput) => Promise<JobResult> | JobResult, scope: JobDefinition['scope'] = 'organization') {
  const inputs: JobInput[] = [];
  const definition: JobDefinition = {
    name: `test-${randomUUID().slice(0, 8)}`,
    summary: 'a test job',
    scope,
    schedule: '0 0 * * *',
    run: async (input) => (inputs.push(input), behaviour(input)),
  };
  return { definition, inputs };
}

const halting = () => job(({ confirmed }) => (confirmed ? { counts: { suspend: 5 } } : { counts: { suspend: 5 }, halted: { reason: 'would suspend 5 of 10 accounts (50.0%), over the limit of 10%' } }));

describe('runJob', () => {
  it('records a succeeded run with its counts, clock, trigger, actor and details, and gives the job its run id', async () => {
    const { org } = await makeOrganization(db);
    const { definition, inputs } = job(() => ({ counts: { warn: 2, suspend: 1 }, details: { policy: 'p1' } }));
    const outcome = await runJob(db, definition, { organizationId: org.id, trigger: 'cli', actor, now });
    expect(outcome).toMatchObject({ status: 'succeeded', halted: false, haltReason: null, counts: { warn: 2, suspend: 1 }, dryRun: false, attempt: 1, error: null });
    expect(inputs).toEqual([expect.objectContaining({ db, now, dryRun: false, organizationId: org.id, runId: outcome.runId, actor, confirmed: null })]);
    const row = await getJobRun(db, outcome.runId);
    expect(row).toMatchObject({
      job: definition.name,
      organizationId: org.id,
      organizationSlug: org.slug,
      status: 'succeeded',
      dryRun: false,
      asOf: now,
      trigger: 'cli',
      startedBy: 'cli:tester',
      counts: { warn: 2, suspend: 1 },
      details: { policy: 'p1' },
      attempt: 1,
      error: null,
    });
    expect(row!.finishedAt!.getTime()).toBeGreaterThanOrEqual(row!.startedAt.getTime());
  });

  it('records a failed run with the error (and its cause) and returns it rather than throwing', async () => {
    const { org } = await makeOrganization(db);
    const { definition } = job(() => {
      throw new Error('the sweep broke', { cause: new Error('connection reset') });
    });
    const outcome = await runJob(db, definition, { organizationId: org.id, trigger: 'schedule', actor, now, queueJobId: randomUUID(), attempt: 2 });
    expect(outcome).toMatchObject({ status: 'failed', error: 'the sweep broke: caused by: connection reset', attempt: 2 });
    expect(await getJobRun(db, outcome.runId)).toMatchObject({ status: 'failed', error: 'the sweep broke: caused by: connection reset', attempt: 2, finishedAt: expect.any(Date) });
  });

  it('records a halted run with the reason, and a dry run as a dry run with its plan', async () => {
    const { org } = await makeOrganization(db);
    const { definition } = halting();
    const halted = await runJob(db, definition, { organizationId: org.id, trigger: 'cli', actor, now });
    expect(halted).toMatchObject({ status: 'halted', halted: true, haltReason: expect.stringContaining('over the limit of 10%') });
    expect(await getJobRun(db, halted.runId)).toMatchObject({ status: 'halted', haltReason: expect.stringContaining('50.0%'), confirmedAt: null });

    const planned = [{ accountId: randomUUID(), userName: 'a@example.com', action: 'warn', clause: 'no activity for 80 days ≥ warn at 76' }];
    const preview = job(() => ({ counts: { warn: 1 }, planned }));
    const dry = await runJob(db, preview.definition, { organizationId: org.id, trigger: 'cli', actor, now, dryRun: true });
    expect(dry).toMatchObject({ status: 'succeeded', dryRun: true, planned, counts: { warn: 1 } });
    expect(preview.inputs[0]).toMatchObject({ dryRun: true });
    expect(await getJobRun(db, dry.runId)).toMatchObject({ dryRun: true, status: 'succeeded', details: { planned, plannedTotal: 1 } });
  });

  it('keeps the first PLANNED_KEPT planned accounts of a dry or halted run in details, and none of a real run', async () => {
    const { org } = await makeOrganization(db);
    const planned = Array.from({ length: PLANNED_KEPT + 5 }, (_, i) => ({ accountId: randomUUID(), userName: `u${i}@example.com`, action: 'end', clause: 'end date passed' }));
    const { definition } = job(({ confirmed, dryRun }) => (confirmed || dryRun ? { counts: { end: planned.length }, planned, details: { population: 200 } } : { counts: { end: planned.length }, planned, halted: { reason: 'too many' }, details: { population: 200 } }));
    const halted = await runJob(db, definition, { organizationId: org.id, trigger: 'cli', actor, now });
    const row = await getJobRun(db, halted.runId);
    expect(row!.details).toMatchObject({ population: 200, plannedTotal: PLANNED_KEPT + 5 });
    expect(row!.details.planned).toEqual(planned.slice(0, PLANNED_KEPT));
    const real = await runJob(db, definition, { organizationId: org.id, trigger: 'cli', actor, now, confirmRunId: halted.runId });
    expect((await getJobRun(db, real.runId))!.details).toEqual({ population: 200 });
  });

  it('refuses an organization job without an organization and a deployment job with one, writing nothing', async () => {
    const { org } = await makeOrganization(db);
    const perOrg = job(() => ({ counts: {} }));
    await expect(runJob(db, perOrg.definition, { organizationId: null, trigger: 'cli', actor, now })).rejects.toMatchObject({ code: 'invalid_input' });
    const deployment = job(() => ({ counts: {} }), 'deployment');
    await expect(runJob(db, deployment.definition, { organizationId: org.id, trigger: 'cli', actor, now })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(perOrg.inputs.length + deployment.inputs.length).toBe(0);
  });

  it('marks an earlier attempt of the same pg-boss job that is still running as interrupted', async () => {
    const { definition } = job(() => ({ counts: { deleted: 1 } }), 'deployment');
    const queueJobId = randomUUID();
    const stale = await insertJobRun(db, { job: definition.name, organizationId: null, dryRun: false, asOf: now, trigger: 'schedule', startedBy: 'system', attempt: 1, queueJobId, confirmsRunId: null });
    const outcome = await runJob(db, definition, { organizationId: null, trigger: 'schedule', actor, now, queueJobId, attempt: 2 });
    expect(outcome.status).toBe('succeeded');
    expect(await getJobRun(db, stale.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^interrupted/) });
  });
});

describe('runJob --confirm', () => {
  it('confirms a halted run once: the job gets what the admin saw, the new run points at it, the halted run is marked', async () => {
    const { org } = await makeOrganization(db);
    const { definition, inputs } = halting();
    const halted = await runJob(db, definition, { organizationId: org.id, trigger: 'cli', actor, now });
    const confirmed = await runJob(db, definition, { organizationId: org.id, trigger: 'cli', actor: { type: 'admin', id: 'ada' }, now, confirmRunId: halted.runId });
    expect(inputs[1]!.confirmed).toEqual({ runId: halted.runId, counts: { suspend: 5 } });
    expect(confirmed).toMatchObject({ status: 'succeeded', confirmsRunId: halted.runId });
    expect(await getJobRun(db, confirmed.runId)).toMatchObject({ confirmsRunId: halted.runId, status: 'succeeded' });
    expect(await getJobRun(db, halted.runId)).toMatchObject({ status: 'halted', confirmedBy: 'admin:ada', confirmedAt: expect.any(Date) });
    expect(await findAuditEvents(db, org.id, { actions: ['job.run_confirmed'] })).toEqual([
      expect.objectContaining({ actorType: 'admin', actorId: 'ada', targetType: 'job_run', targetId: halted.runId, data: { job: definition.name, runId: confirmed.runId, counts: { suspend: 5 }, trigger: 'cli' } }),
    ]);

    const again = runJob(db, definition, { organizationId: org.id, trigger: 'cli', actor, now, confirmRunId: halted.runId });
    await expect(again).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('already confirmed') });
  });

  it('refuses an unknown id, a run that did not halt, another organization\'s or another job\'s run, a dry run, and writes no run', async () => {
    const { org } = await makeOrganization(db);
    const { org: other } = await makeOrganization(db);
    const { definition, inputs } = halting();
    const ok = job(() => ({ counts: {} }));
    const haltedElsewhere = await runJob(db, definition, { organizationId: other.id, trigger: 'cli', actor, now });
    const succeeded = await runJob(db, ok.definition, { organizationId: org.id, trigger: 'cli', actor, now });
    const succeededHere = await insertJobRun(db, { job: definition.name, organizationId: org.id, dryRun: false, asOf: now, trigger: 'cli', startedBy: null, attempt: 1, queueJobId: null, confirmsRunId: null });
    await finishJobRun(db, succeededHere.id, { status: 'succeeded', counts: {}, haltReason: null, error: null, details: {} });
    const haltedDry = await runJob(db, definition, { organizationId: org.id, trigger: 'cli', actor, now, dryRun: true });
    const before = inputs.length;

    const confirm = (confirmRunId: string) => runJob(db, definition, { organizationId: org.id, trigger: 'cli', actor, now, confirmRunId });
    await expect(confirm(randomUUID())).rejects.toMatchObject({ code: 'not_found' });
    await expect(confirm('not-a-uuid')).rejects.toMatchObject({ code: 'not_found' });
    await expect(confirm(haltedElsewhere.runId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(confirm(succeeded.runId)).rejects.toMatchObject({ code: 'not_found' }); // another job's run
    await expect(confirm(succeededHere.id)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('succeeded, not halted') });
    await expect(confirm(haltedDry.runId)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('dry run') });
    await expect(runJob(db, definition, { organizationId: org.id, trigger: 'cli', actor, now, dryRun: true, confirmRunId: haltedDry.runId })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(inputs.length).toBe(before);
    expect(await getJobRun(db, haltedElsewhere.runId)).toMatchObject({ confirmedAt: null });
    expect(await findAuditEvents(db, org.id, { actions: ['job.run_confirmed'] })).toEqual([]);
  });

  it('gives the confirmation back when the confirmed run fails, so the admin can confirm again', async () => {
    const { org } = await makeOrganization(db);
    let fail = true;
    const { definition } = job(({ confirmed }) => {
      if (!confirmed) return { counts: { suspend: 3 }, halted: { reason: 'too many' } };
      if (fail) throw new Error('database went away');
      return { counts: { suspend: 3 } };
    });
    const halted = await runJob(db, definition, { organizationId: org.id, trigger: 'cli', actor, now });
    expect((await runJob(db, definition, { organizationId: org.id, trigger: 'cli', actor, now, confirmRunId: halted.runId })).status).toBe('failed');
    expect(await getJobRun(db, halted.runId)).toMatchObject({ confirmedAt: null });
    fail = false;
    expect(await runJob(db, definition, { organizationId: org.id, trigger: 'cli', actor, now, confirmRunId: halted.runId })).toMatchObject({ status: 'succeeded', confirmsRunId: halted.runId });
  });

  it('lets one of two simultaneous confirmations through', async () => {
    const { org } = await makeOrganization(db);
    const { definition } = halting();
    const halted = await runJob(db, definition, { organizationId: org.id, trigger: 'cli', actor, now });
    const results = await Promise.allSettled([0, 1].map(() => runJob(db, definition, { organizationId: org.id, trigger: 'cli', actor, now, confirmRunId: halted.runId })));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });
});
