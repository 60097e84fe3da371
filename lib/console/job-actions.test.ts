import { inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { getAccountById } from '@/db/queries/accounts';
import { findAuditEvents } from '@/db/queries/audit-events';
import { getJobRun } from '@/db/queries/job-runs';
import { upsertRole } from '@/db/queries/roles';
import { accounts } from '@/db/schema';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { defineAdminAction } from '@/lib/auth/define-action';
import { accountEndDateJob } from '@/lib/jobs/definitions/account-end-date';
import { runJob } from '@/lib/jobs/run-job';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { confirmHaltedRun, confirmRunSchema, dryRunJob, dryRunSchema } from './job-actions';

const db = testDb();
afterAll(closeTestDb);

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};
const deps = (sessionId: string) => ({ db: () => db, gate: () => resolveAdmin(db, sessionId), onSignedOut: (): never => { throw new Error('signed out'); } });
const confirm = (sessionId: string) => defineAdminAction('jobs.confirm_run', confirmRunSchema, (input, ctx) => confirmHaltedRun(input, ctx), deps(sessionId));
const dryRun = (sessionId: string) => defineAdminAction('jobs.dry_run', dryRunSchema, (input, ctx) => dryRunJob(input, ctx), deps(sessionId));

/**
 * An organization with an admin, an auditor and 10 more active accounts, 3 of them past their end
 * date: 3 of 12 active accounts is over the breaker's default 10%, so the end-date job halts.
 */
async function tenant() {
  const { org, connection } = await makeOrganization(db);
  await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
  const admin = await makeAdminSession(db, org.id, connection.id);
  const auditor = await makeAdminSession(db, org.id, connection.id, { admin: false });
  await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: auditor.account.id, roleKey: 'auditor' }, ctx));
  const people = [];
  for (let i = 0; i < 10; i++) people.push(await makeAccount(db, org.id));
  const ended = people.slice(0, 3).map((a) => a.id);
  await db.update(accounts).set({ endsAt: new Date(Date.now() - 60_000) }).where(inArray(accounts.id, ended));
  const halted = await runJob(db, accountEndDateJob, { organizationId: org.id, trigger: 'schedule', actor: { type: 'system', id: 'account-end-date' }, now: new Date() });
  expect(halted).toMatchObject({ status: 'halted', counts: { end: 3 } });
  return { org, admin, auditor, ended, halted };
}
const statuses = async (organizationId: string, ids: string[]) => Promise.all(ids.map(async (id) => (await getAccountById(db, organizationId, id))?.status));

describe('confirming a halted run from the console', () => {
  it('an admin confirms: the job runs with trigger console, the accounts are suspended, and the confirmation is audited with the admin as actor', async () => {
    const t = await tenant();
    const state = await confirm(t.admin.sessionId)(undefined, form({ runId: t.halted.runId }));
    expect(state).toMatchObject({ ok: true, data: { message: 'Confirmed: account-end-date ran and did suspend 3 accounts past their end date.', counts: { end: 3 } } });
    expect(await statuses(t.org.id, t.ended)).toEqual(['suspended', 'suspended', 'suspended']);
    const runId = state.data!.runId;
    expect(await getJobRun(db, runId)).toMatchObject({ trigger: 'console', startedBy: `admin:${t.admin.account.id}`, confirmsRunId: t.halted.runId, status: 'succeeded' });
    expect(await getJobRun(db, t.halted.runId)).toMatchObject({ confirmedBy: `admin:${t.admin.account.id}`, confirmedAt: expect.any(Date) });
    expect(await findAuditEvents(db, t.org.id, { actions: ['job.run_confirmed'] })).toEqual([
      expect.objectContaining({ actorType: 'admin', actorId: t.admin.account.id, targetType: 'job_run', targetId: t.halted.runId, data: { job: 'account-end-date', runId, counts: { end: 3 }, trigger: 'console' } }),
    ]);
    const ended = await findAuditEvents(db, t.org.id, { actions: ['account.ended'] });
    expect(ended.map((e) => [e.actorType, e.actorId, (e.data as { runId: string }).runId])).toEqual(Array(3).fill(['admin', t.admin.account.id, runId]));

    // Once: a second confirmation of the same run is refused with a message for the form.
    expect(await confirm(t.admin.sessionId)(undefined, form({ runId: t.halted.runId }))).toEqual({ error: 'This run was already confirmed.' });
  });

  it('an auditor is refused, the refusal is audited, and nothing runs', async () => {
    const t = await tenant();
    expect(await confirm(t.auditor.sessionId)(undefined, form({ runId: t.halted.runId }))).toEqual({ error: 'Only an administrator of this organization can do that.' });
    expect(await findAuditEvents(db, t.org.id, { actions: ['admin.action_refused'] })).toEqual([expect.objectContaining({ actorId: t.auditor.account.id, data: { action: 'jobs.confirm_run', reason: 'not an administrator' } })]);
    expect(await getJobRun(db, t.halted.runId)).toMatchObject({ confirmedAt: null });
    expect(await statuses(t.org.id, t.ended)).toEqual(['active', 'active', 'active']);
    expect(await dryRun(t.auditor.sessionId)(undefined, form({ job: 'account-end-date' }))).toEqual({ error: 'Only an administrator of this organization can do that.' });
  });

  it("a forged confirm of another organization's halted run is refused, and nothing changes there", async () => {
    const [a, b] = [await tenant(), await tenant()];
    expect(await confirm(a.admin.sessionId)(undefined, form({ runId: b.halted.runId }))).toEqual({ error: 'No such run in this organization.' });
    expect(await getJobRun(db, b.halted.runId)).toMatchObject({ confirmedAt: null });
    expect(await statuses(b.org.id, b.ended)).toEqual(['active', 'active', 'active']);
    expect(await findAuditEvents(db, b.org.id, { actions: ['job.run_confirmed', 'account.ended'] })).toEqual([]);
    expect(await confirm(a.admin.sessionId)(undefined, form({ runId: 'not-a-run' }))).toMatchObject({ fieldErrors: { runId: ['No such run.'] } });
  });

  it('a run that did not halt, or a dry run, is refused with a message for the form', async () => {
    const t = await tenant();
    const dry = await runJob(db, accountEndDateJob, { organizationId: t.org.id, trigger: 'cli', actor: { type: 'cli', id: 'root' }, now: new Date(), dryRun: true });
    expect(await confirm(t.admin.sessionId)(undefined, form({ runId: dry.runId }))).toEqual({ error: 'This run was a dry run: only a halted run can be confirmed.' });
    const done = await confirm(t.admin.sessionId)(undefined, form({ runId: t.halted.runId }));
    expect(await confirm(t.admin.sessionId)(undefined, form({ runId: done.data!.runId }))).toEqual({ error: 'This run succeeded: only a halted run can be confirmed.' });
  });
});

describe('a dry run from the console', () => {
  it('shows what a run would do, to whom and why, says the breaker would halt it, and changes nothing', async () => {
    const t = await tenant();
    const state = await dryRun(t.admin.sessionId)(undefined, form({ job: 'account-end-date' }));
    expect(state).toMatchObject({ ok: true, data: { job: 'account-end-date', counts: { end: 3 }, halted: true, plannedTotal: 3, message: 'A run now would suspend 3 accounts past their end date, but the circuit breaker would halt it.' } });
    expect(state.data!.planned.map((p) => [p.accountId, p.action])).toEqual(expect.arrayContaining(t.ended.map((id) => [id, 'end'])));
    expect(state.data!.planned[0]!.clause).toMatch(/^end date .* passed$/);
    expect(await getJobRun(db, state.data!.runId)).toMatchObject({ dryRun: true, trigger: 'console', details: expect.objectContaining({ plannedTotal: 3 }) });
    expect(await statuses(t.org.id, t.ended)).toEqual(['active', 'active', 'active']);
  });

  it('refuses a deployment job or an unknown one', async () => {
    const t = await tenant();
    for (const job of ['purge-saml-state', 'no-such-job']) expect(await dryRun(t.admin.sessionId)(undefined, form({ job }))).toEqual({ error: 'No such job for this organization.' });
  });
});
