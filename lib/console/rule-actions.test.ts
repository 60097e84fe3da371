import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { findAttributeRules } from '@/db/queries/attribute-rules';
import { findAuditEvents } from '@/db/queries/audit-events';
import { updateAccount } from '@/db/queries/accounts';
import { hasRole, upsertRole } from '@/db/queries/roles';
import { organizations, roleAssignments } from '@/db/schema';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { defineAdminAction } from '@/lib/auth/define-action';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { applyRule, loadRuleEditor, loadRulesPage, previewRule, ruleChangeSchema } from './rule-actions';

const db = testDb();
afterAll(closeTestDb);

const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) data.append(k, one);
  return data;
};
const deps = (sessionId: string) => ({ db: () => db, gate: () => resolveAdmin(db, sessionId), onSignedOut: (): never => { throw new Error('signed out'); } });
const preview = (sessionId: string) => defineAdminAction('rule.preview', ruleChangeSchema, (input, ctx) => previewRule(input, ctx), deps(sessionId));
const apply = (sessionId: string) => defineAdminAction('rule.apply', ruleChangeSchema, (input, ctx) => applyRule(input, ctx), deps(sessionId));

const engineers = { kind: 'create', name: 'Engineers', roleKey: 'engineer', connectionId: '', match: 'all', enabled: 'on', attribute: ['department'], op: ['eq'], value: ['Engineering'] };

/** An admin, an auditor, accounts in Engineering (two), Sales (one, in group eng) and none; another organization with its own rule. */
async function tenant() {
  const { org, connection } = await makeOrganization(db);
  await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
  await upsertRole(db, { organizationId: org.id, key: 'engineer', name: 'Engineer' });
  const admin = await makeAdminSession(db, org.id, connection.id);
  const auditor = await makeAdminSession(db, org.id, connection.id, { admin: false });
  await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: auditor.account.id, roleKey: 'auditor' }, ctx));
  const make = (userName: string, department: string | null, groups: string[] = []) =>
    makeAccount(db, org.id, { userName, profile: { department } }).then((a) => updateAccount(db, org.id, a.id, { loginGroups: groups }));
  const ann = await make(`ann-${org.id.slice(0, 8)}@example.com`, 'Engineering');
  const ben = await make(`ben-${org.id.slice(0, 8)}@example.com`, 'engineering');
  const cat = await make(`cat-${org.id.slice(0, 8)}@example.com`, 'Sales', ['eng']);
  const other = await makeOrganization(db);
  await upsertRole(db, { organizationId: other.org.id, key: 'engineer', name: 'Engineer' });
  const otherAdmin = await makeAdminSession(db, other.org.id, other.connection.id);
  const otherRule = await apply(otherAdmin.sessionId)(undefined, form({ ...engineers, name: 'Theirs' }));
  if (!otherRule.ok) throw new Error('fixture: the other organization’s rule');
  return { org, connection, admin, auditor, ann, ben, cat, other: { ...other, ruleId: otherRule.data!.ruleId!, connectionId: other.connection.id } };
}

const holds = (organizationId: string, accountId: string) => hasRole(db, organizationId, accountId, 'engineer');

describe('the rules page: preview and apply', () => {
  it('previews a new rule (nothing saved), then the save applies the same change to every matching account at once', async () => {
    const t = await tenant();
    const previewed = await preview(t.admin.sessionId)(undefined, form(engineers));
    expect(previewed).toMatchObject({ ok: true, data: { ruleName: 'Engineers', roleKey: 'engineer', counts: { gain: 2, lose: 0, accounts: 2 }, needsConfirmation: false, conditionsText: 'department equals Engineering' } });
    expect(previewed.data!.gain.map((g) => g.accountId).sort()).toEqual([t.ann.id, t.ben.id].sort());
    expect(await findAttributeRules(db, t.org.id)).toEqual([]);
    expect(await holds(t.org.id, t.ann.id)).toBe(false);

    const saved = await apply(t.admin.sessionId)(undefined, form(engineers));
    expect(saved).toMatchObject({ ok: true, data: { granted: 2, revoked: 0, message: 'Created "Engineers": 2 granted, 0 revoked.' } });
    expect(await holds(t.org.id, t.ann.id)).toBe(true);
    expect(await holds(t.org.id, t.ben.id)).toBe(true);
    expect(await holds(t.org.id, t.cat.id)).toBe(false);
    const [created] = await findAuditEvents(db, t.org.id, { actions: ['rule.created'] });
    expect(created).toMatchObject({ actorType: 'admin', actorId: t.admin.account.id, data: expect.objectContaining({ runId: saved.data!.runId, granted: 2 }) });
    expect((await loadRulesPage(db, t.org.id)).rules).toEqual([expect.objectContaining({ name: 'Engineers', roleKey: 'engineer', enabled: true, connectionName: null, conditionsText: 'department equals Engineering' })]);

    // Editing the conditions: the preview of the edit is what its save does (a role moves from ben to cat).
    const ruleId = saved.data!.ruleId!;
    const edit = { ...engineers, kind: 'update', ruleId, match: 'any', attribute: ['department', 'groups'], op: ['eq', 'in'], value: ['Engineering ', 'ENG, ops'] };
    const editPreview = await preview(t.admin.sessionId)(undefined, form({ ...edit, attribute: ['groups', 'department'], op: ['in', 'startsWith'], value: ['eng', 'Eng'] }));
    expect(editPreview.data?.counts).toMatchObject({ gain: 1, lose: 0 });
    const moved = { ...edit, match: 'all', attribute: ['groups'], op: ['in'], value: ['eng'] };
    const movePreview = await preview(t.admin.sessionId)(undefined, form(moved));
    const moveApply = await apply(t.admin.sessionId)(undefined, form(moved));
    expect(movePreview.data?.counts).toMatchObject({ gain: 1, lose: 2 });
    expect(moveApply.data).toMatchObject({ granted: movePreview.data!.counts.gainRole, revoked: movePreview.data!.counts.loseRole });
    expect([await holds(t.org.id, t.ann.id), await holds(t.org.id, t.ben.id), await holds(t.org.id, t.cat.id)]).toEqual([false, false, true]);

    // Disable, enable, delete: each previewed and applied the same way.
    const disable = form({ kind: 'disable', ruleId });
    expect((await preview(t.admin.sessionId)(undefined, disable)).data?.counts).toMatchObject({ lose: 1 });
    expect((await apply(t.admin.sessionId)(undefined, disable)).data).toMatchObject({ revoked: 1 });
    expect((await apply(t.admin.sessionId)(undefined, form({ kind: 'enable', ruleId }))).data).toMatchObject({ granted: 1 });
    expect((await apply(t.admin.sessionId)(undefined, form({ kind: 'delete', ruleId }))).data).toMatchObject({ revoked: 1, ruleId: null });
    expect(await findAttributeRules(db, t.org.id)).toEqual([]);
  });

  it('past the mass-change limit: the preview says so; a save without the typed number is refused (audited), with it it applies', async () => {
    const t = await tenant();
    await db.update(organizations).set({ settings: { bulkActionLimit: 1 } }).where(eq(organizations.id, t.org.id));
    expect((await preview(t.admin.sessionId)(undefined, form(engineers))).data).toMatchObject({ needsConfirmation: true, limit: 1, counts: { accounts: 2 } });
    const refused = await apply(t.admin.sessionId)(undefined, form(engineers));
    expect(refused.error).toMatch(/concerns 2 accounts, more than this organization's limit of 1.*type 2 to confirm/);
    expect(await findAttributeRules(db, t.org.id)).toEqual([]);
    expect(await findAuditEvents(db, t.org.id, { actions: ['admin.action_refused'] })).toEqual([expect.objectContaining({ targetType: 'rule', data: expect.objectContaining({ action: 'rule.create' }) })]);
    expect((await apply(t.admin.sessionId)(undefined, form({ ...engineers, confirmOver: '3' }))).error).toMatch(/\(3 was typed\)/);
    expect(await apply(t.admin.sessionId)(undefined, form({ ...engineers, confirmOver: '2' }))).toMatchObject({ ok: true, data: { granted: 2 } });
  });

  it('an auditor is refused, the refusal audited in the organization, nothing saved', async () => {
    const t = await tenant();
    for (const action of [preview, apply]) expect(await action(t.auditor.sessionId)(undefined, form(engineers))).toEqual({ error: 'Only an administrator of this organization can do that.' });
    expect(await findAttributeRules(db, t.org.id)).toEqual([]);
    const refusals = await findAuditEvents(db, t.org.id, { actions: ['admin.action_refused'] });
    expect(refusals.map((e) => e.data?.action).sort()).toEqual(['rule.apply', 'rule.preview']);
  });

  it("another organization's rule or connection is not found; nothing of theirs changes", async () => {
    const t = await tenant();
    for (const kind of ['delete', 'disable']) {
      expect(await apply(t.admin.sessionId)(undefined, form({ kind, ruleId: t.other.ruleId }))).toMatchObject({ error: expect.stringMatching(/^No rule/) });
    }
    expect(await apply(t.admin.sessionId)(undefined, form({ ...engineers, kind: 'update', ruleId: t.other.ruleId }))).toMatchObject({ error: expect.stringMatching(/^No rule/) });
    expect(await preview(t.admin.sessionId)(undefined, form({ ...engineers, connectionId: t.other.connectionId }))).toEqual({ error: 'No such connection in this organization.' });
    expect(await apply(t.admin.sessionId)(undefined, form({ ...engineers, connectionId: t.other.connectionId }))).toEqual({ error: 'No such connection in this organization.' });
    expect(await findAttributeRules(db, t.org.id)).toEqual([]);
    expect(await findAttributeRules(db, t.other.org.id)).toEqual([expect.objectContaining({ id: t.other.ruleId, enabled: true })]);
    await expect(loadRuleEditor(db, t.org.id, t.other.ruleId)).rejects.toMatchObject({ code: 'not_found' });
    const theirs = await db.select().from(roleAssignments).where(and(eq(roleAssignments.organizationId, t.other.org.id), eq(roleAssignments.source, 'birthright')));
    expect(theirs).toEqual([]); // their organization has no matching accounts: the rule grants nobody, and nothing of ours reached it
  });

  it.each([
    [{ name: '  ' }, 'name', 'Name the rule.'],
    [{ roleKey: '' }, 'roleKey', 'Choose the role it grants.'],
    [{ attribute: ['shoeSize'] }, 'conditions.0', 'Unknown attribute shoeSize'],
    [{ value: [''] }, 'conditions.0', 'Department equals needs a value.'],
    [{ attribute: ['department', 'extra.costCenter'], op: ['eq', 'between'], value: ['Engineering', 'x'] }, 'conditions.1', 'Choose an operator.'],
    [{ attribute: [], op: [], value: [] }, 'conditions', 'Add at least one condition.'],
    [{ confirmOver: 'two' }, 'confirmOver', 'Type the number of accounts.'],
  ])('bad input %j: a form message on %s, nothing saved', async (change, field, message) => {
    const t = await tenant();
    const state = await apply(t.admin.sessionId)(undefined, form({ ...engineers, ...change }));
    expect(state.error).toBe('Check the highlighted fields.');
    expect(state.fieldErrors?.[field]?.[0]).toContain(message);
    expect(await findAttributeRules(db, t.org.id)).toEqual([]);
  });

  it('a role the organization lacks and a name taken are form messages, nothing saved', async () => {
    const t = await tenant();
    expect((await apply(t.admin.sessionId)(undefined, form({ ...engineers, roleKey: 'nope' }))).error).toMatch(/No role "nope"/);
    await apply(t.admin.sessionId)(undefined, form(engineers));
    expect((await apply(t.admin.sessionId)(undefined, form({ ...engineers, name: 'engineers' }))).error).toMatch(/named "Engineers" exists/);
    expect(await findAttributeRules(db, t.org.id)).toHaveLength(1);
  });
});
