import { and, asc, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { findAttributeRules } from '@/db/queries/attribute-rules';
import { updateAccount } from '@/db/queries/accounts';
import { insertExternalIdentity } from '@/db/queries/external-identities';
import { upsertRole } from '@/db/queries/roles';
import { auditEvents, organizations, roleAssignments, type Account } from '@/db/schema';
import { reconcileBirthrightRoles } from '@/lib/lifecycle/access/birthright';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { isAppError } from '@/lib/errors';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { applyRuleChange } from './apply-rule-change';
import { previewRuleChange } from './preview-rule-change';
import type { RuleChange } from './rule-change';

const db = testDb();
afterAll(closeTestDb);
const who = { actor: { type: 'admin' as const, id: 'test-admin' } };

async function cast() {
  const { org, connection } = await makeOrganization(db);
  await upsertRole(db, { organizationId: org.id, key: 'engineer', name: 'Engineer' });
  await upsertRole(db, { organizationId: org.id, key: 'seller', name: 'Seller' });
  const make = (userName: string, department: string | null, groups: string[] = []) =>
    makeAccount(db, org.id, { userName, profile: { department } }).then((a) => updateAccount(db, org.id, a.id, { loginGroups: groups }));
  const accounts = {
    ann: await make('ann@example.com', 'Engineering', ['eng']),
    ben: await make('ben@example.com', 'engineering '),
    cat: await make('cat@example.com', 'Sales', ['eng']),
    dan: await make('dan@example.com', null),
  };
  return { org, connection, accounts };
}

/** role keys held in force through rules, per user name */
async function ruleHoldings(organizationId: string) {
  const rows = await db
    .select({ accountId: roleAssignments.accountId, roleId: roleAssignments.roleId, sourceRef: roleAssignments.sourceRef })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.organizationId, organizationId), eq(roleAssignments.source, 'birthright')));
  return rows;
}

const events = (organizationId: string, action: string) =>
  db.select().from(auditEvents).where(and(eq(auditEvents.organizationId, organizationId), eq(auditEvents.action, action))).orderBy(asc(auditEvents.id));

const engineering: RuleChange = { kind: 'create', rule: { name: 'Engineers', roleKey: 'engineer', conditions: { match: 'all', conditions: [{ attribute: 'department', op: 'eq', value: 'Engineering' }] } } };

/** After the apply, re-evaluating any account as a sign-in would (the JS path) changes nothing. */
async function expectSignInAgrees(organizationId: string, accounts: Account[]) {
  for (const account of accounts) {
    const result = await asAdmin(db, async (tx, ctx) => {
      const r = await reconcileBirthrightRoles(tx, { account, connection: null }, ctx);
      throw Object.assign(new Error('rollback'), { result: r });
    }).catch((e: { result?: unknown }) => e.result);
    expect(result, account.userName).toMatchObject({ granted: [], revoked: [] });
  }
}

describe('birthright rule preview and apply', () => {
  it('previews a new rule in SQL, then applies it to every matching account at once, audited with one run id', async () => {
    const { org, accounts } = await cast();
    const preview = await previewRuleChange(db, org.id, engineering);
    expect(preview).toMatchObject({ change: 'create', counts: { gain: 2, lose: 0, gainRole: 2, loseRole: 0, accounts: 2 }, needsConfirmation: false, createsRole: null });
    expect(preview.gain.map((g) => [g.userName, g.roleKey, g.heldOtherwise])).toEqual([['ann@example.com', 'engineer', false], ['ben@example.com', 'engineer', false]]);
    expect(await findAttributeRules(db, org.id)).toEqual([]); // a preview saves nothing

    const report = await applyRuleChange(db, org.id, engineering, who, { dryRun: false });
    expect(report).toMatchObject({ dryRun: false, granted: 2, revoked: 0, counts: preview.counts });
    const [rule] = await findAttributeRules(db, org.id);
    expect(rule).toMatchObject({ id: report.rule.id, name: 'Engineers', roleKey: 'engineer', enabled: true });
    expect((await ruleHoldings(org.id)).map((r) => r.accountId).sort()).toEqual([accounts.ann.id, accounts.ben.id].sort());
    const granted = await events(org.id, 'role.granted');
    expect(granted.map((e) => e.data?.runId)).toEqual([report.runId, report.runId]);
    expect(granted[0]?.data).toMatchObject({ source: 'birthright', sourceRef: `rule:${rule!.id}`, roleKey: 'engineer' });
    const [created] = await events(org.id, 'rule.created');
    expect(created).toMatchObject({ actorType: 'admin', actorId: 'test-admin', targetType: 'rule', targetId: rule!.id, data: { runId: report.runId, granted: 2, revoked: 0, accounts: 2, name: 'Engineers' } });
    await expectSignInAgrees(org.id, Object.values(accounts));

    // Nothing left to do: the same rule previews as no change.
    expect((await previewRuleChange(db, org.id, { kind: 'update', rule: 'engineers', set: {} })).counts).toMatchObject({ gain: 0, lose: 0 });
  });

  it('moves roles when the conditions change (gain and lose), marks a role held otherwise, and agrees with sign-in', async () => {
    const { org, accounts } = await cast();
    await applyRuleChange(db, org.id, engineering, who, { dryRun: false });
    await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: accounts.ann.id, roleKey: 'engineer' }, ctx));
    const change: RuleChange = { kind: 'update', rule: 'Engineers', set: { conditions: { match: 'any', conditions: [{ attribute: 'groups', op: 'in', value: ['ENG'] }] } } };
    const preview = await previewRuleChange(db, org.id, change);
    expect(preview.gain.map((g) => g.userName)).toEqual(['cat@example.com']);
    expect(preview.lose.map((g) => [g.userName, g.heldOtherwise])).toEqual([['ben@example.com', false]]);
    const dry = await applyRuleChange(db, org.id, change, who, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, granted: 1, revoked: 1, counts: preview.counts });
    expect((await ruleHoldings(org.id)).map((r) => r.accountId).sort()).toEqual([accounts.ann.id, accounts.ben.id].sort()); // the dry run wrote nothing
    expect(await events(org.id, 'rule.updated')).toEqual([]);

    const report = await applyRuleChange(db, org.id, change, who, { dryRun: false });
    expect(report).toMatchObject({ granted: 1, revoked: 1 });
    expect((await ruleHoldings(org.id)).map((r) => r.accountId).sort()).toEqual([accounts.ann.id, accounts.cat.id].sort());
    const [updated] = await events(org.id, 'rule.updated');
    expect(updated?.before).toMatchObject({ conditions: { match: 'all' } });
    expect(updated?.after).toMatchObject({ conditions: { match: 'any' } });
    expect((await events(org.id, 'role.revoked')).at(-1)).toMatchObject({ targetId: accounts.ben.id, data: { runId: report.runId, sourceRef: `rule:${report.rule.id}` } });

    // Disabling revokes every assignment of the rule (a sign-in would never judge a disabled rule), enabling brings them back.
    const disabled = await applyRuleChange(db, org.id, { kind: 'update', rule: 'Engineers', set: { enabled: false } }, who, { dryRun: false });
    expect(disabled).toMatchObject({ granted: 0, revoked: 2 });
    expect(disabled.lose.find((l) => l.userName === 'ann@example.com')?.heldOtherwise).toBe(true);
    expect(await ruleHoldings(org.id)).toEqual([]);
    expect(await applyRuleChange(db, org.id, { kind: 'update', rule: 'Engineers', set: { enabled: true } }, who, { dryRun: false })).toMatchObject({ granted: 2, revoked: 0 });

    // Moving the rule to another role: every holder loses the old one and gains the new one.
    const moved = await applyRuleChange(db, org.id, { kind: 'update', rule: 'Engineers', set: { roleKey: 'seller' } }, who, { dryRun: false });
    expect(moved).toMatchObject({ granted: 2, revoked: 2, counts: { accounts: 2 } });
    expect(new Set(moved.gain.map((g) => g.roleKey))).toEqual(new Set(['seller']));
    expect(new Set(moved.lose.map((g) => g.roleKey))).toEqual(new Set(['engineer']));
    await expectSignInAgrees(org.id, Object.values(accounts));

    const deleted = await applyRuleChange(db, org.id, { kind: 'delete', rule: 'Engineers' }, who, { dryRun: false });
    expect(deleted).toMatchObject({ change: 'delete', granted: 0, revoked: 2 });
    expect(await findAttributeRules(db, org.id)).toEqual([]);
    expect(await ruleHoldings(org.id)).toEqual([]);
    expect(await events(org.id, 'rule.deleted')).toHaveLength(1);
  });

  it("judges a connection's rule only for accounts that sign in through it", async () => {
    const { org, connection, accounts } = await cast();
    await insertExternalIdentity(db, { organizationId: org.id, connectionId: connection.id, subject: 'ann', accountId: accounts.ann.id });
    const change: RuleChange = { kind: 'create', rule: { ...engineering.kind === 'create' ? engineering.rule : never(), connection: connection.name } };
    const report = await applyRuleChange(db, org.id, change, who, { dryRun: false });
    expect(report.gain.map((g) => g.userName)).toEqual(['ann@example.com']);
    expect(report.rule).toMatchObject({ connectionId: connection.id, connectionName: 'Test IdP' });
  });

  it('past the mass-change limit: refused and audited unless the number is typed; a dry run is allowed and writes nothing', async () => {
    const { org } = await cast();
    await db.update(organizations).set({ settings: { bulkActionLimit: 1 } }).where(eq(organizations.id, org.id));
    const dry = await applyRuleChange(db, org.id, engineering, who, { dryRun: true });
    expect(dry).toMatchObject({ needsConfirmation: true, limit: 1, counts: { accounts: 2 }, granted: 2 });
    expect(await findAttributeRules(db, org.id)).toEqual([]);
    expect(await events(org.id, 'role.granted')).toEqual([]);

    const refused = await applyRuleChange(db, org.id, engineering, who, { dryRun: false, confirmOver: 3 }).catch((e: unknown) => e);
    expect(isAppError(refused) && refused.code).toBe('precondition_failed');
    expect(String((refused as Error).message)).toMatch(/concerns 2 accounts, more than this organization's limit of 1.*type 2 to confirm \(3 was typed\)/);
    expect(await findAttributeRules(db, org.id)).toEqual([]);
    expect(await ruleHoldings(org.id)).toEqual([]);
    expect(await events(org.id, 'admin.action_refused')).toEqual([expect.objectContaining({ targetType: 'rule', data: expect.objectContaining({ action: 'rule.create' }) })]);

    const confirmed = await applyRuleChange(db, org.id, engineering, who, { dryRun: false, confirmOver: 2 });
    expect(confirmed).toMatchObject({ granted: 2 });
    expect((await events(org.id, 'rule.created'))[0]?.data).toMatchObject({ confirmedOver: 2 });
  });

  it('refuses bad input before anything is written', async () => {
    const { org } = await cast();
    const attempt = (change: RuleChange, options: { createRole?: boolean } = {}) => applyRuleChange(db, org.id, change, who, { dryRun: false, ...options }).catch((e: unknown) => e);
    const bad = (conditions: unknown) => ({ kind: 'create', rule: { name: 'x', roleKey: 'engineer', conditions } }) as RuleChange;
    expect(await attempt(bad({ match: 'all', conditions: [{ attribute: 'shoeSize', op: 'eq', value: '9' }] }))).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/unknown attribute shoeSize/) });
    expect(await attempt(bad({ match: 'all', conditions: [{ attribute: 'department', op: 'eq' }] }))).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/needs a value/) });
    expect(await attempt(bad({ match: 'all', conditions: [] }))).toMatchObject({ code: 'invalid_input' });
    expect(await attempt({ kind: 'create', rule: { ...(engineering.kind === 'create' ? engineering.rule : never()), roleKey: 'nope' } })).toMatchObject({ code: 'not_found', message: expect.stringMatching(/No role "nope"/) });
    expect(await attempt({ kind: 'delete', rule: 'missing' })).toMatchObject({ code: 'not_found' });
    await applyRuleChange(db, org.id, engineering, who, { dryRun: false });
    expect(await attempt(engineering)).toMatchObject({ code: 'conflict', message: expect.stringMatching(/named "Engineers" exists/) });
    // A new role only when asked for.
    const created = await applyRuleChange(db, org.id, { kind: 'create', rule: { name: 'Sales', roleKey: 'sales-team', conditions: { match: 'all', conditions: [{ attribute: 'department', op: 'startsWith', value: 'sal' }] } } }, who, { dryRun: false, createRole: true });
    expect(created).toMatchObject({ createsRole: 'sales-team', granted: 1, gain: [expect.objectContaining({ userName: 'cat@example.com', roleKey: 'sales-team' })] });
  });
});

function never(): never {
  throw new Error('unreachable');
}
