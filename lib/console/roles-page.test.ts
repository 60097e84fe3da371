import { afterAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { hasRole, upsertRole } from '@/db/queries/roles';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { defineAdminAction } from '@/lib/auth/define-action';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { applyRuleChange } from '@/lib/lifecycle/rules/apply-rule-change';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { grantRoleByUserName, grantSchema, loadRolePage, loadRolesPage, revokeRoleFromAccount, revokeSchema } from './roles-page';

const db = testDb();
afterAll(closeTestDb);

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};
const deps = (sessionId: string) => ({ db: () => db, gate: () => resolveAdmin(db, sessionId), onSignedOut: (): never => { throw new Error('signed out'); } });
const grant = (sessionId: string) => defineAdminAction('role.grant', grantSchema, (input, ctx) => grantRoleByUserName(input, ctx), deps(sessionId));
const revoke = (sessionId: string) => defineAdminAction('role.revoke', revokeSchema, (input, ctx) => revokeRoleFromAccount(input, ctx), deps(sessionId));

async function tenant() {
  const { org, connection } = await makeOrganization(db);
  await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
  await upsertRole(db, { organizationId: org.id, key: 'oncall', name: 'On call' });
  const admin = await makeAdminSession(db, org.id, connection.id);
  const auditor = await makeAdminSession(db, org.id, connection.id, { admin: false });
  await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: auditor.account.id, roleKey: 'auditor' }, ctx));
  const tag = org.id.slice(0, 8);
  const ann = await makeAccount(db, org.id, { userName: `ann-${tag}@example.com` });
  const other = await makeOrganization(db);
  await upsertRole(db, { organizationId: other.org.id, key: 'oncall', name: 'On call' });
  const theirs = await makeAccount(db, other.org.id, { userName: `them-${tag}@example.com` });
  return { org, admin, auditor, ann, other, theirs, tag };
}

describe('the roles pages', () => {
  it('grants by user name with an end (after a duration or on a date), lists the holder and how, revokes; audited', async () => {
    const t = await tenant();
    const state = await grant(t.admin.sessionId)(undefined, form({ roleKey: 'oncall', userName: t.ann.userName, expiresIn: '7d', until: '' }));
    expect(state).toMatchObject({ ok: true, data: { message: expect.stringMatching(/^Granted On call to ann-.* until /) } });
    const page = await loadRolePage(db, t.org.id, 'oncall', { now: new Date(), offset: 0 });
    expect(page).toMatchObject({ total: 1, accounts: 1, role: { key: 'oncall', holders: 1, bySource: { manual: 1 } } });
    const [holding] = page.rows;
    expect(holding).toMatchObject({ accountId: t.ann.id, via: 'manual' });
    expect(Math.round((holding!.expiresAt!.getTime() - Date.now()) / 86_400_000)).toBe(7);
    expect((await loadRolesPage(db, t.org.id, new Date())).roles.find((r) => r.key === 'oncall')).toMatchObject({ holders: 1 });
    expect(await grant(t.admin.sessionId)(undefined, form({ roleKey: 'oncall', userName: t.ann.userName, until: '2999-01-01' }))).toMatchObject({ ok: true, data: { message: expect.stringMatching(/Moved the end/) } });
    expect(await revoke(t.admin.sessionId)(undefined, form({ roleKey: 'oncall', accountId: t.ann.id }))).toMatchObject({ ok: true, data: { message: `Revoked On call from ${t.ann.userName}.` } });
    expect(await hasRole(db, t.org.id, t.ann.id, 'oncall')).toBe(false);
    expect((await findAuditEvents(db, t.org.id, { actions: ['role.granted', 'role.revoked'] })).filter((e) => e.targetId === t.ann.id).map((e) => [e.action, e.actorId])).toEqual(
      expect.arrayContaining([['role.granted', t.admin.account.id], ['role.revoked', t.admin.account.id]]),
    );
  });

  it('shows a rule-held role as held by the rule, named; revoking it by hand is refused with the reason', async () => {
    const t = await tenant();
    await applyRuleChange(db, t.org.id, { kind: 'create', rule: { name: 'Anns', roleKey: 'engineer', conditions: { match: 'all', conditions: [{ attribute: 'userName', op: 'startsWith', value: 'ann-' }] } } }, { actor: { type: 'admin', id: 'test' } }, { dryRun: false, createRole: true });
    const page = await loadRolePage(db, t.org.id, 'engineer', { now: new Date(), offset: 0 });
    expect(page.rows).toEqual([expect.objectContaining({ accountId: t.ann.id, via: 'rule', viaName: 'Anns', expiresAt: null })]);
    const state = await revoke(t.admin.sessionId)(undefined, form({ roleKey: 'engineer', accountId: t.ann.id }));
    expect(state.error).toMatch(/rule/i);
    expect(await hasRole(db, t.org.id, t.ann.id, 'engineer')).toBe(true);
  });

  it.each([
    [{ expiresIn: 'soon' }, 'expiresIn', 'Ends after takes a whole number and a unit'],
    [{ until: '2000-01-01' }, 'until', 'The end date must be in the future.'],
    [{ expiresIn: '8h', until: '2999-01-01' }, 'until', 'not both'],
    [{ userName: '' }, 'userName', 'Type the user name'],
  ])('bad input %j: a message on %s, nothing granted', async (change, field, message) => {
    const t = await tenant();
    const state = await grant(t.admin.sessionId)(undefined, form({ roleKey: 'oncall', userName: t.ann.userName, ...change }));
    expect(state.fieldErrors?.[field]?.[0]).toContain(message);
    expect(await hasRole(db, t.org.id, t.ann.id, 'oncall')).toBe(false);
  });

  it("an auditor is refused (audited); another organization's account and role are not found", async () => {
    const t = await tenant();
    expect(await grant(t.auditor.sessionId)(undefined, form({ roleKey: 'oncall', userName: t.ann.userName }))).toEqual({ error: 'Only an administrator of this organization can do that.' });
    expect(await findAuditEvents(db, t.org.id, { actions: ['admin.action_refused'] })).toEqual([expect.objectContaining({ data: { action: 'role.grant', reason: 'not an administrator' } })]);
    expect(await grant(t.admin.sessionId)(undefined, form({ roleKey: 'oncall', userName: t.theirs.userName }))).toEqual({ error: `No account "${t.theirs.userName}" in this organization.` });
    expect(await revoke(t.admin.sessionId)(undefined, form({ roleKey: 'oncall', accountId: t.theirs.id }))).toEqual({ error: 'No such account in this organization.' });
    await expect(loadRolePage(db, t.org.id, 'nope', { now: new Date(), offset: 0 })).rejects.toMatchObject({ code: 'not_found' });
    expect(await hasRole(db, t.other.org.id, t.theirs.id, 'oncall')).toBe(false);
  });
});
