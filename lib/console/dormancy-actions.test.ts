import { afterAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { getDormancyPolicy } from '@/db/queries/dormancy-policies';
import { upsertRole } from '@/db/queries/roles';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { defineAdminAction } from '@/lib/auth/define-action';
import { accountState, ago, dormantAccount, sweep } from '@/lib/governance/dormancy/testing/fixtures';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { asAdmin, closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { policySchema, previewDormancyPolicy, previewSchema, saveDormancyPolicy } from './dormancy-actions';

const db = testDb();
afterAll(closeTestDb);

const NOW = new Date();
const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) data.append(k, one);
  return data;
};
const deps = (sessionId: string) => ({ db: () => db, gate: () => resolveAdmin(db, sessionId), onSignedOut: (): never => { throw new Error('signed out'); } });
const save = (sessionId: string) => defineAdminAction('dormancy.set_policy', policySchema, (input, ctx) => saveDormancyPolicy(input, ctx), deps(sessionId));
const preview = (sessionId: string) => defineAdminAction('dormancy.preview_policy', previewSchema, (input, ctx) => previewDormancyPolicy(input, ctx, NOW), deps(sessionId));

const policyForm = { dormantAfterDays: '30', suspendAfterDays: '60', deprovisionAfterDays: '30', neverSignedInAfterDays: '45', warnBeforeDays: '', maxSharePercent: '100', maxCount: '', enabled: 'on', exemptRoleKeys: 'break-glass' };

/** An admin, an auditor and accounts last active 10, 40, 70 and 200 days ago (the last suspended for dormancy 40 days ago), one exempt by role. */
async function tenant() {
  const { org, connection } = await makeOrganization(db);
  await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
  await upsertRole(db, { organizationId: org.id, key: 'break-glass', name: 'Break glass' });
  const admin = await makeAdminSession(db, org.id, connection.id);
  const auditor = await makeAdminSession(db, org.id, connection.id, { admin: false });
  await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: auditor.account.id, roleKey: 'auditor' }, ctx));
  const recent = await dormantAccount(db, org.id, { lastActivityAt: ago(10, 0, NOW) });
  const dormant = await dormantAccount(db, org.id, { lastActivityAt: ago(40, 0, NOW) });
  const stale = await dormantAccount(db, org.id, { lastActivityAt: ago(70, 0, NOW) });
  const exempt = await dormantAccount(db, org.id, { lastActivityAt: ago(70, 0, NOW) });
  await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: exempt.id, roleKey: 'break-glass' }, ctx));
  const gone = await dormantAccount(db, org.id, { status: 'suspended', lastActivityAt: ago(200, 0, NOW), suspendedAt: ago(40, 0, NOW) });
  return { org, admin, auditor, recent, dormant, stale, exempt, gone };
}

describe('saving the dormancy policy from the console', () => {
  it('an admin saves it: stored as validated and audited dormancy.policy_changed with the admin as actor', async () => {
    const t = await tenant();
    const state = await save(t.admin.sessionId)(undefined, form(policyForm));
    expect(state).toMatchObject({ ok: true, data: { message: expect.stringContaining('Policy saved') } });
    expect(await getDormancyPolicy(db, t.org.id)).toMatchObject({ dormantAfterDays: 30, suspendAfterDays: 60, deprovisionAfterDays: 30, neverSignedInAfterDays: 45, warnBeforeDays: null, maxSharePercent: 100, maxCount: null, enabled: true, exemptRoleKeys: ['break-glass'] });
    expect(await findAuditEvents(db, t.org.id, { actions: ['dormancy.policy_changed'] })).toEqual([expect.objectContaining({ actorType: 'admin', actorId: t.admin.account.id, data: { created: true } })]);
  });

  it('an auditor is refused, the refusal audited, and nothing saved', async () => {
    const t = await tenant();
    const state = await save(t.auditor.sessionId)(undefined, form(policyForm));
    expect(state).toEqual({ error: 'Only an administrator of this organization can do that.' });
    expect(await getDormancyPolicy(db, t.org.id)).toBeNull();
    expect(await findAuditEvents(db, t.org.id, { actions: ['admin.action_refused'] })).toEqual([expect.objectContaining({ targetId: t.auditor.account.id, data: { action: 'dormancy.set_policy', reason: 'not an administrator' } })]);
  });

  it.each([
    [{ suspendAfterDays: '10' }, 'suspendAfterDays', 'Suspend after (10) must be at least dormant after (30)'],
    [{ dormantAfterDays: '' }, 'dormantAfterDays', 'Dormant after is required'],
    [{ deprovisionAfterDays: '0' }, 'deprovisionAfterDays', 'Deprovision after must be a whole number of days'],
    [{ warnBeforeDays: '60' }, 'warnBeforeDays', 'Warn before (60) must be less than suspend after (60)'],
    [{ maxSharePercent: '120' }, 'maxSharePercent', 'Max share must be a whole percentage'],
    [{ maxCount: '1.5' }, 'maxCount', 'Max count must be a whole number'],
  ])('invalid values %j: a field error on %s, nothing saved', async (change, field, message) => {
    const t = await tenant();
    const state = await save(t.admin.sessionId)(undefined, form({ ...policyForm, ...change }));
    expect(state.error).toBe('Check the highlighted fields.');
    expect(state.fieldErrors?.[field]?.[0]).toContain(message);
    expect(await getDormancyPolicy(db, t.org.id)).toBeNull();
  });

  it('an exempt role the organization lacks is refused, nothing saved', async () => {
    const t = await tenant();
    const state = await save(t.admin.sessionId)(undefined, form({ ...policyForm, exemptRoleKeys: ['break-glass', 'nope'] }));
    expect(state.error).toContain('nope');
    expect(await getDormancyPolicy(db, t.org.id)).toBeNull();
  });
});

describe('previewing the edited policy', () => {
  it('changes nothing and plans exactly what a dry run of the job plans with the same values', async () => {
    const t = await tenant();
    const events = (await findAuditEvents(db, t.org.id, {})).length;
    const state = await preview(t.admin.sessionId)(undefined, form(policyForm));
    expect(state.ok).toBe(true);
    const p = state.data!;
    expect(p.counts).toEqual({ dormant: 1, warn: 0, suspend: 1, deprovision: 1 });
    expect(p.halted).toBe(false);
    expect(await getDormancyPolicy(db, t.org.id)).toBeNull();
    expect(await findAuditEvents(db, t.org.id, {})).toHaveLength(events);
    expect((await accountState(db, t.stale.id)).status).toBe('active');
    expect((await accountState(db, t.gone.id)).status).toBe('suspended');
    // The same values saved, then the job's own dry run at the same moment.
    await save(t.admin.sessionId)(undefined, form(policyForm));
    const run = await sweep(db, t.org.id, { dryRun: true, now: NOW });
    expect(p.planned).toEqual(run.planned);
    expect(p.counts).toMatchObject(run.counts);
    expect(p.planned.map((x) => x.accountId).sort()).toEqual([t.stale.id, t.gone.id].sort());
  });

  it('says when the circuit breaker would halt, and previews another day', async () => {
    const t = await tenant();
    const state = await preview(t.admin.sessionId)(undefined, form({ ...policyForm, maxSharePercent: '10' }));
    expect(state.data).toMatchObject({ halted: true, haltReason: expect.stringContaining('10%') });
    const later = await preview(t.admin.sessionId)(undefined, form({ ...policyForm, asOf: new Date(NOW.getTime() + 30 * 86_400_000).toISOString().slice(0, 10) }));
    expect(later.data?.counts.suspend).toBe(2);
  });

  it('an auditor cannot preview (refused and audited)', async () => {
    const t = await tenant();
    expect(await preview(t.auditor.sessionId)(undefined, form(policyForm))).toEqual({ error: 'Only an administrator of this organization can do that.' });
    expect(await findAuditEvents(db, t.org.id, { actions: ['admin.action_refused'] })).toEqual([expect.objectContaining({ data: { action: 'dormancy.preview_policy', reason: 'not an administrator' } })]);
  });
});
