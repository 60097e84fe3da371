import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { updateAccount } from '@/db/queries/accounts';
import { findAttributeRules } from '@/db/queries/attribute-rules';
import { getGroup, insertGroup, insertGroupMembers } from '@/db/queries/groups';
import { hasRole, upsertRole } from '@/db/queries/roles';
import { auditEvents, organizations } from '@/db/schema';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { defineAdminAction } from '@/lib/auth/define-action';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { applyGroupRoleChange, groupRoleSchema, loadGroupRoleCard, previewGroupRoleChange } from './group-role-actions';

const db = testDb();
afterAll(closeTestDb);

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};
const deps = (sessionId: string) => ({ db: () => db, gate: () => resolveAdmin(db, sessionId), onSignedOut: (): never => { throw new Error('signed out'); } });
const preview = (sessionId: string) => defineAdminAction('group.role_preview', groupRoleSchema, (input, ctx) => previewGroupRoleChange(input, ctx), deps(sessionId));
const apply = (sessionId: string) => defineAdminAction('group.role_mapped', groupRoleSchema, (input, ctx) => applyGroupRoleChange(input, ctx), deps(sessionId));

/** An admin and an auditor; a SCIM group Platform with ann; cat sent the sign-in group "eng"; another organization with its own group. */
async function tenant() {
  const { org, connection } = await makeOrganization(db);
  await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
  await upsertRole(db, { organizationId: org.id, key: 'engineer', name: 'Engineer' });
  const admin = await makeAdminSession(db, org.id, connection.id);
  const auditor = await makeAdminSession(db, org.id, connection.id, { admin: false });
  await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: auditor.account.id, roleKey: 'auditor' }, ctx));
  const ann = await makeAccount(db, org.id, { userName: `ann-${org.id.slice(0, 8)}@example.com` });
  const cat = await makeAccount(db, org.id, { userName: `cat-${org.id.slice(0, 8)}@example.com` }).then((a) => updateAccount(db, org.id, a.id, { loginGroups: ['eng'] }));
  const group = await insertGroup(db, { organizationId: org.id, displayName: 'Platform' });
  await insertGroupMembers(db, org.id, group.id, [ann.id]);
  const other = await makeOrganization(db);
  const otherGroup = await insertGroup(db, { organizationId: other.org.id, displayName: 'Theirs' });
  return { org, admin, auditor, ann, cat, group, otherGroup };
}

describe('the groups pages: the Role card', () => {
  it('previews a SCIM group mapping (nothing saved), then the save maps it and grants the role to its members', async () => {
    const t = await tenant();
    const fields = { kind: 'scim', groupId: t.group.id, roleKey: 'engineer' };
    const previewed = await preview(t.admin.sessionId)(undefined, form(fields));
    expect(previewed).toMatchObject({ ok: true, data: { after: { roleKey: 'engineer' }, counts: { gain: 1, lose: 0 } } });
    expect(previewed.data!.gain).toEqual([expect.objectContaining({ accountId: t.ann.id, roleKey: 'engineer' })]);
    expect(await hasRole(db, t.org.id, t.ann.id, 'engineer')).toBe(false);
    const saved = await apply(t.admin.sessionId)(undefined, form(fields));
    expect(saved).toMatchObject({ ok: true, data: { message: 'Platform now gives Engineer: 1 granted, 0 revoked.', granted: 1 } });
    expect(await hasRole(db, t.org.id, t.ann.id, 'engineer')).toBe(true);
    expect(await loadGroupRoleCard(db, t.org.id, { kind: 'scim', id: t.group.id })).toMatchObject({ current: { key: 'engineer', name: 'Engineer' }, rule: null });
    expect(await apply(t.admin.sessionId)(undefined, form({ ...fields, roleKey: '' }))).toMatchObject({ ok: true, data: { revoked: 1 } });
    expect(await hasRole(db, t.org.id, t.ann.id, 'engineer')).toBe(false);
  });

  it('maps a sign-in group through its rule, shown on the card', async () => {
    const t = await tenant();
    const saved = await apply(t.admin.sessionId)(undefined, form({ kind: 'sign-in', name: 'eng', roleKey: 'engineer' }));
    expect(saved).toMatchObject({ ok: true, data: { granted: 1 } });
    expect(await hasRole(db, t.org.id, t.cat.id, 'engineer')).toBe(true);
    const [rule] = await findAttributeRules(db, t.org.id);
    expect(await loadGroupRoleCard(db, t.org.id, { kind: 'sign-in', name: 'eng' })).toMatchObject({ current: { key: 'engineer' }, rule: { id: rule!.id, name: 'Sign-in group: eng', enabled: true } });
  });

  it('an auditor is refused, the refusal audited in the organization, nothing saved', async () => {
    const t = await tenant();
    const fields = { kind: 'scim', groupId: t.group.id, roleKey: 'engineer' };
    for (const action of [preview, apply]) expect(await action(t.auditor.sessionId)(undefined, form(fields))).toEqual({ error: 'Only an administrator of this organization can do that.' });
    expect((await getGroup(db, t.org.id, t.group.id))!.roleId).toBeNull();
    const refusals = await db.select().from(auditEvents).where(and(eq(auditEvents.organizationId, t.org.id), eq(auditEvents.action, 'admin.action_refused')));
    expect(refusals.map((e) => (e.data as { action: string }).action).sort()).toEqual(['group.role_mapped', 'group.role_preview']);
  });

  it('answers bad input, another organization’s group, an unknown role and the limit as form errors', async () => {
    const t = await tenant();
    const run = apply(t.admin.sessionId);
    expect(await run(undefined, form({ kind: 'scim', groupId: 'nope', roleKey: 'engineer' }))).toMatchObject({ error: 'Check the highlighted fields.', fieldErrors: { form: ['No such group.'] } });
    expect(await run(undefined, form({ kind: 'ldap', groupId: t.group.id }))).toMatchObject({ fieldErrors: { kind: ['Unknown group.'] } });
    expect(await run(undefined, form({ kind: 'scim', groupId: t.otherGroup.id, roleKey: 'engineer' }))).toEqual({ error: 'No such group in this organization.' });
    expect(await run(undefined, form({ kind: 'scim', groupId: t.group.id, roleKey: 'ghost' }))).toMatchObject({ error: expect.stringContaining('No role "ghost"') });
    expect(await run(undefined, form({ kind: 'sign-in', name: 'nobody', roleKey: 'engineer' }))).toMatchObject({ error: expect.stringContaining('No account carries the sign-in group "nobody"') });
    await db.update(organizations).set({ settings: { bulkActionLimit: 0 } }).where(eq(organizations.id, t.org.id));
    expect(await run(undefined, form({ kind: 'scim', groupId: t.group.id, roleKey: 'engineer', confirmOver: 'x' }))).toMatchObject({ fieldErrors: { confirmOver: ['Type the number of accounts.'] } });
    expect(await run(undefined, form({ kind: 'scim', groupId: t.group.id, roleKey: 'engineer' }))).toMatchObject({ error: expect.stringContaining('type 1 to confirm') });
    expect(await run(undefined, form({ kind: 'scim', groupId: t.group.id, roleKey: 'engineer', confirmOver: '1' }))).toMatchObject({ ok: true, data: { granted: 1 } });
    expect((await getGroup(db, t.otherGroup.organizationId, t.otherGroup.id))!.roleId).toBeNull();
  });
});
