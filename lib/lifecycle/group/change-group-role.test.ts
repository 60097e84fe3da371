import { and, asc, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { updateAccount } from '@/db/queries/accounts';
import { findAttributeRules } from '@/db/queries/attribute-rules';
import { getGroup, insertGroup, insertGroupMembers } from '@/db/queries/groups';
import { hasRole, upsertRole } from '@/db/queries/roles';
import { auditEvents, organizations, roleAssignments } from '@/db/schema';
import { isAppError } from '@/lib/errors';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { changeGroupRole, previewGroupRole } from './change-group-role';
import { signInGroupRuleName } from './sign-in-group-role';

const db = testDb();
afterAll(closeTestDb);
const who = { actor: { type: 'admin' as const, id: 'test-admin' } };

/** A SCIM group Platform with ann and ben; cat outside it; ann and cat sent the sign-in group "eng". */
async function cast() {
  const { org } = await makeOrganization(db);
  await upsertRole(db, { organizationId: org.id, key: 'engineer', name: 'Engineer' });
  await upsertRole(db, { organizationId: org.id, key: 'seller', name: 'Seller' });
  const make = (userName: string, groups: string[] = []) => makeAccount(db, org.id, { userName }).then((a) => updateAccount(db, org.id, a.id, { loginGroups: groups }));
  const ann = await make(`ann-${org.id.slice(0, 6)}@example.com`, ['eng']);
  const ben = await make(`ben-${org.id.slice(0, 6)}@example.com`);
  const cat = await make(`cat-${org.id.slice(0, 6)}@example.com`, ['eng']);
  const group = await insertGroup(db, { organizationId: org.id, displayName: 'Platform' });
  await insertGroupMembers(db, org.id, group.id, [ann.id, ben.id]);
  return { org, ann, ben, cat, group, scim: { kind: 'scim' as const, id: group.id } };
}

const events = (organizationId: string, action: string) =>
  db.select().from(auditEvents).where(and(eq(auditEvents.organizationId, organizationId), eq(auditEvents.action, action))).orderBy(asc(auditEvents.id));
const groupRows = (organizationId: string) => db.select().from(roleAssignments).where(and(eq(roleAssignments.organizationId, organizationId), eq(roleAssignments.source, 'group')));
const refusal = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (isAppError(e) ? e : Promise.reject(e)));

describe('mapping a SCIM group to a role', () => {
  it('previews, then grants the role to every member at once; remapping moves it; none takes it away (audited, run id on each grant)', async () => {
    const t = await cast();
    const preview = await previewGroupRole(db, t.org.id, { group: t.scim, roleKey: 'engineer' });
    expect(preview).toMatchObject({ group: { kind: 'scim', name: 'Platform' }, before: { roleKey: null }, after: { roleKey: 'engineer', roleName: 'Engineer' }, changed: true, counts: { gain: 2, lose: 0, accounts: 2 }, needsConfirmation: false });
    expect(preview.gain.map((g) => g.userName)).toEqual([t.ann.userName, t.ben.userName]);
    expect(await groupRows(t.org.id)).toEqual([]);

    const mapped = await changeGroupRole(db, t.org.id, { group: t.scim, roleKey: 'engineer' }, who, { dryRun: false });
    expect(mapped).toMatchObject({ dryRun: false, granted: 2, revoked: 0, counts: preview.counts });
    expect((await getGroup(db, t.org.id, t.group.id))!.roleId).not.toBeNull();
    expect(await hasRole(db, t.org.id, t.ann.id, 'engineer')).toBe(true);
    expect(await hasRole(db, t.org.id, t.cat.id, 'engineer')).toBe(false);
    const granted = await events(t.org.id, 'role.granted');
    expect(granted.map((e) => (e.data as { runId?: string; source: string }).runId)).toEqual([mapped.runId, mapped.runId]);
    const [event] = await events(t.org.id, 'group.role_mapped');
    expect(event).toMatchObject({ targetType: 'group', targetId: t.group.id, before: { roleKey: null }, after: { roleKey: 'engineer' }, data: { runId: mapped.runId, granted: 2, revoked: 0, accounts: 2 } });

    const moved = await changeGroupRole(db, t.org.id, { group: t.scim, roleKey: 'seller' }, who, { dryRun: false });
    expect(moved).toMatchObject({ before: { roleKey: 'engineer' }, after: { roleKey: 'seller' }, counts: { gain: 2, lose: 2, accounts: 2 }, granted: 2, revoked: 2 });
    expect(await hasRole(db, t.org.id, t.ann.id, 'engineer')).toBe(false);
    expect(await hasRole(db, t.org.id, t.ann.id, 'seller')).toBe(true);
    expect((await events(t.org.id, 'role.revoked')).every((e) => (e.data as { runId?: string }).runId === moved.runId)).toBe(true);

    const cleared = await changeGroupRole(db, t.org.id, { group: t.scim, roleKey: null }, who, { dryRun: false });
    expect(cleared).toMatchObject({ after: { roleKey: null }, counts: { gain: 0, lose: 2 }, revoked: 2 });
    expect(await groupRows(t.org.id)).toEqual([]);
    expect((await getGroup(db, t.org.id, t.group.id))!.roleId).toBeNull();
    expect(await events(t.org.id, 'group.role_mapped')).toHaveLength(3);

    const again = await changeGroupRole(db, t.org.id, { group: t.scim, roleKey: null }, who, { dryRun: false });
    expect(again).toMatchObject({ changed: false, counts: { accounts: 0 }, granted: 0, revoked: 0 });
    expect(await events(t.org.id, 'group.role_mapped')).toHaveLength(3);
  });

  it('a dry run goes the same way and writes nothing', async () => {
    const t = await cast();
    const before = (await db.select().from(auditEvents).where(eq(auditEvents.organizationId, t.org.id))).length;
    const dry = await changeGroupRole(db, t.org.id, { group: t.scim, roleKey: 'engineer' }, who, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, granted: 2, counts: { gain: 2 } });
    expect(await groupRows(t.org.id)).toEqual([]);
    expect((await getGroup(db, t.org.id, t.group.id))!.roleId).toBeNull();
    expect((await db.select().from(auditEvents).where(eq(auditEvents.organizationId, t.org.id))).length).toBe(before);
  });

  it('past the mass-change limit it refuses (audited in the organization, nothing written) unless the number is typed', async () => {
    const t = await cast();
    await db.update(organizations).set({ settings: { bulkActionLimit: 1 } }).where(eq(organizations.id, t.org.id));
    expect(await previewGroupRole(db, t.org.id, { group: t.scim, roleKey: 'engineer' })).toMatchObject({ needsConfirmation: true, limit: 1, counts: { accounts: 2 } });
    const refused = await refusal(changeGroupRole(db, t.org.id, { group: t.scim, roleKey: 'engineer' }, who, { dryRun: false, confirmOver: 3 }));
    expect(refused).toMatchObject({ code: 'precondition_failed', message: expect.stringContaining('type 2 to confirm (3 was typed)') });
    expect(await groupRows(t.org.id)).toEqual([]);
    expect(await events(t.org.id, 'group.role_mapped')).toEqual([]);
    expect(await events(t.org.id, 'admin.action_refused')).toEqual([expect.objectContaining({ targetType: 'group', targetId: t.group.id, data: expect.objectContaining({ action: 'group.role_mapped' }) })]);
    expect(await changeGroupRole(db, t.org.id, { group: t.scim, roleKey: 'engineer' }, who, { dryRun: true })).toMatchObject({ needsConfirmation: true, granted: 2 });
    expect(await changeGroupRole(db, t.org.id, { group: t.scim, roleKey: 'engineer' }, who, { dryRun: false, confirmOver: 2 })).toMatchObject({ granted: 2 });
    const [event] = await events(t.org.id, 'group.role_mapped');
    expect(event!.data).toMatchObject({ confirmedOver: 2 });
  });

  it('a role held through another source (a manual grant) is kept when the mapping goes away', async () => {
    const t = await cast();
    await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: t.org.id, accountId: t.ben.id, roleKey: 'engineer' }, ctx));
    const preview = await previewGroupRole(db, t.org.id, { group: t.scim, roleKey: 'engineer' });
    expect(preview.counts).toMatchObject({ gain: 2, gainRole: 1 });
    expect(preview.gain.find((g) => g.accountId === t.ben.id)).toMatchObject({ heldOtherwise: true });
    await changeGroupRole(db, t.org.id, { group: t.scim, roleKey: 'engineer' }, who, { dryRun: false });
    const cleared = await changeGroupRole(db, t.org.id, { group: t.scim, roleKey: null }, who, { dryRun: false });
    expect(cleared.counts).toMatchObject({ lose: 2, loseRole: 1 });
    expect(await hasRole(db, t.org.id, t.ben.id, 'engineer')).toBe(true);
    expect(await hasRole(db, t.org.id, t.ann.id, 'engineer')).toBe(false);
  });

  it("refuses another organization's group or role, and an unknown role", async () => {
    const t = await cast();
    const other = await cast();
    const foreignGroup = await refusal(changeGroupRole(db, t.org.id, { group: other.scim, roleKey: 'engineer' }, who, { dryRun: false }));
    expect(foreignGroup).toMatchObject({ code: 'not_found' });
    expect(await refusal(previewGroupRole(db, t.org.id, { group: other.scim, roleKey: 'engineer' }))).toMatchObject({ code: 'not_found' });
    await upsertRole(db, { organizationId: other.org.id, key: 'theirs', name: 'Theirs' });
    expect(await refusal(changeGroupRole(db, t.org.id, { group: t.scim, roleKey: 'theirs' }, who, { dryRun: false }))).toMatchObject({ code: 'not_found', message: expect.stringContaining('No role "theirs"') });
    expect(await groupRows(other.org.id)).toEqual([]);
    expect((await getGroup(db, other.org.id, other.group.id))!.roleId).toBeNull();
  });
});

describe('mapping a sign-in group to a role (a birthright rule)', () => {
  it('creates the rule "Sign-in group: NAME" through the rule apply, updates it, and deletes it for none', async () => {
    const t = await cast();
    const group = { kind: 'sign-in' as const, name: 'eng' };
    const preview = await previewGroupRole(db, t.org.id, { group, roleKey: 'engineer' });
    expect(preview).toMatchObject({ group: { kind: 'sign-in', name: 'eng' }, before: { roleKey: null }, rule: { name: 'Sign-in group: eng', change: 'create' }, counts: { gain: 2, lose: 0 } });
    expect(await changeGroupRole(db, t.org.id, { group, roleKey: 'engineer' }, who, { dryRun: true })).toMatchObject({ dryRun: true, granted: 2 });
    expect(await findAttributeRules(db, t.org.id)).toEqual([]);

    const mapped = await changeGroupRole(db, t.org.id, { group, roleKey: 'engineer' }, who, { dryRun: false });
    expect(mapped).toMatchObject({ granted: 2, rule: { name: signInGroupRuleName('eng'), change: 'create', id: expect.any(String) } });
    expect(await findAttributeRules(db, t.org.id)).toEqual([expect.objectContaining({ name: 'Sign-in group: eng', roleKey: 'engineer', conditions: { match: 'all', conditions: [{ attribute: 'groups', op: 'in', value: ['eng'] }] } })]);
    expect(await hasRole(db, t.org.id, t.cat.id, 'engineer')).toBe(true);
    expect((await events(t.org.id, 'role.granted')).map((e) => (e.data as { runId?: string }).runId)).toEqual([mapped.runId, mapped.runId]);
    expect(await previewGroupRole(db, t.org.id, { group, roleKey: 'engineer' })).toMatchObject({ before: { roleKey: 'engineer' }, changed: false, rule: { change: null }, counts: { accounts: 0 } });

    expect(await changeGroupRole(db, t.org.id, { group, roleKey: 'seller' }, who, { dryRun: false })).toMatchObject({ rule: { change: 'update' }, granted: 2, revoked: 2 });
    expect(await changeGroupRole(db, t.org.id, { group, roleKey: null }, who, { dryRun: false })).toMatchObject({ rule: { change: 'delete', id: null }, revoked: 2 });
    expect(await findAttributeRules(db, t.org.id)).toEqual([]);
    expect(await hasRole(db, t.org.id, t.cat.id, 'seller')).toBe(false);
  });

  it('refuses a sign-in group nobody carries, and the rule limit applies', async () => {
    const t = await cast();
    expect(await refusal(previewGroupRole(db, t.org.id, { group: { kind: 'sign-in', name: 'nobody' }, roleKey: 'engineer' }))).toMatchObject({ code: 'not_found' });
    await db.update(organizations).set({ settings: { bulkActionLimit: 1 } }).where(eq(organizations.id, t.org.id));
    const refused = await refusal(changeGroupRole(db, t.org.id, { group: { kind: 'sign-in', name: 'eng' }, roleKey: 'engineer' }, who, { dryRun: false }));
    expect(refused).toMatchObject({ code: 'precondition_failed' });
    expect(await findAttributeRules(db, t.org.id)).toEqual([]);
    expect(await events(t.org.id, 'admin.action_refused')).toHaveLength(1);
  });
});
