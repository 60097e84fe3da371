import { afterAll, describe, expect, it } from 'vitest';
import { getLinkConflict, upsertLinkConflict } from '@/db/queries/account-links';
import { getAccountByIdentity, updateAccount } from '@/db/queries/accounts';
import { findAuditEvents } from '@/db/queries/audit-events';
import { upsertRole } from '@/db/queries/roles';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { defineAdminAction } from '@/lib/auth/define-action';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { loadConflictsPage, resolveConflict, resolveConflictSchema } from './conflicts-page';

const db = testDb();
afterAll(closeTestDb);

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};
const deps = (sessionId: string) => ({ db: () => db, gate: () => resolveAdmin(db, sessionId), onSignedOut: (): never => { throw new Error('signed out'); } });
const resolve = (sessionId: string) => defineAdminAction('conflict.resolve', resolveConflictSchema, (input, ctx) => resolveConflict(input, ctx), deps(sessionId));

/** A sign-in conflict (two SCIM accounts: one by user name, one by externalId) and a SCIM one; another organization's conflict. */
async function tenant() {
  const { org, connection } = await makeOrganization(db);
  await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
  const admin = await makeAdminSession(db, org.id, connection.id);
  const auditor = await makeAdminSession(db, org.id, connection.id, { admin: false });
  await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: auditor.account.id, roleKey: 'auditor' }, ctx));
  const tag = org.id.slice(0, 8);
  const ann = await makeAccount(db, org.id, { userName: `ann-${tag}@example.com` });
  const anne = await makeAccount(db, org.id, { userName: `anne-${tag}@example.com` }).then((a) => updateAccount(db, org.id, a.id, { externalId: 'sub-ann', scimManagedAt: new Date() }));
  const login = await upsertLinkConflict(db, { organizationId: org.id, source: 'login', matchKey: `login:${connection.id}:sub-ann`, incoming: { subject: 'sub-ann', userName: `ANN-${tag}@example.com`, email: null }, candidateAccountIds: [ann.id, anne.id] });
  const push = await upsertLinkConflict(db, { organizationId: org.id, source: 'scim', matchKey: `scim:username:x-${tag}@example.com`, incoming: { userName: `x-${tag}@example.com`, email: ann.email, externalId: null }, candidateAccountIds: [ann.id, anne.id] });
  const other = await makeOrganization(db);
  const theirs = await makeAccount(db, other.org.id);
  const foreign = await upsertLinkConflict(db, { organizationId: other.org.id, source: 'scim', matchKey: 'scim:username:y@example.com', incoming: { userName: 'y@example.com' }, candidateAccountIds: [theirs.id] });
  return { org, connection, admin, auditor, ann, anne, login, push, foreign, theirs };
}

describe('the link-conflicts page', () => {
  it('lists the open queue with each candidate and why it matched; "link to this account" links the sign-in, audited, and moves it to the decided list', async () => {
    const t = await tenant();
    const page = await loadConflictsPage(db, t.org.id);
    expect(page.settled).toEqual([]);
    const login = page.open.find((c) => c.id === t.login.id)!;
    expect(login).toMatchObject({ source: 'login', connectionName: t.connection.name, incoming: { subject: 'sub-ann' } });
    expect(Object.fromEntries(login.candidates.map((c) => [c.accountId, c.why]))).toEqual({ [t.ann.id]: ['same user name'], [t.anne.id]: ['its SCIM externalId is the sign-in’s subject'] });
    expect(page.open.find((c) => c.id === t.push.id)!.candidates.find((c) => c.accountId === t.ann.id)?.why).toEqual(['same email']);
    expect(page.open.map((c) => c.id)).not.toContain(t.foreign.id);

    const state = await resolve(t.admin.sessionId)(undefined, form({ conflictId: t.login.id, decision: 'link', accountId: t.anne.id }));
    expect(state).toEqual({ ok: true, data: { message: 'Linked: the sign-in belongs to that account now.' } });
    expect((await getAccountByIdentity(db, t.connection.id, 'sub-ann'))?.account.id).toBe(t.anne.id);
    expect(await findAuditEvents(db, t.org.id, { actions: ['conflict.resolved'] })).toEqual([expect.objectContaining({ actorType: 'admin', actorId: t.admin.account.id, data: expect.objectContaining({ decision: 'link', accountId: t.anne.id }) })]);
    const after = await loadConflictsPage(db, t.org.id);
    expect(after.open.map((c) => c.id)).toEqual([t.push.id]);
    expect(after.settled).toEqual([expect.objectContaining({ id: t.login.id, status: 'resolved', resolvedBy: t.admin.account.displayName ?? t.admin.account.userName, candidates: [expect.objectContaining({ accountId: t.anne.id })] })]);
    // Decided once.
    expect((await resolve(t.admin.sessionId)(undefined, form({ conflictId: t.login.id, decision: 'keep_apart' }))).error).toMatch(/already resolved/);
  });

  it('"keep apart" dismisses it, audited; linking to an account that is no candidate is refused', async () => {
    const t = await tenant();
    const stranger = await makeAccount(db, t.org.id);
    expect((await resolve(t.admin.sessionId)(undefined, form({ conflictId: t.push.id, decision: 'link', accountId: stranger.id }))).error).toBe('Link it to one of the candidate accounts of this conflict.');
    expect(await resolve(t.admin.sessionId)(undefined, form({ conflictId: t.push.id, decision: 'keep_apart' }))).toMatchObject({ ok: true, data: { message: 'Kept apart: the SCIM push will get an account of its own.' } });
    expect(await getLinkConflict(db, t.org.id, t.push.id)).toMatchObject({ status: 'dismissed' });
    expect((await findAuditEvents(db, t.org.id, { actions: ['conflict.resolved'] })).map((e) => e.data?.decision)).toEqual(['keep_apart']);
  });

  it("an auditor is refused (audited); another organization's conflict is not found and stays open", async () => {
    const t = await tenant();
    expect(await resolve(t.auditor.sessionId)(undefined, form({ conflictId: t.push.id, decision: 'keep_apart' }))).toEqual({ error: 'Only an administrator of this organization can do that.' });
    expect(await findAuditEvents(db, t.org.id, { actions: ['admin.action_refused'] })).toEqual([expect.objectContaining({ data: { action: 'conflict.resolve', reason: 'not an administrator' } })]);
    expect(await getLinkConflict(db, t.org.id, t.push.id)).toMatchObject({ status: 'open' });
    expect(await resolve(t.admin.sessionId)(undefined, form({ conflictId: t.foreign.id, decision: 'link', accountId: t.theirs.id }))).toEqual({ error: 'No such link conflict in this organization.' });
    expect(await getLinkConflict(db, t.theirs.organizationId, t.foreign.id)).toMatchObject({ status: 'open' });
    expect((await resolve(t.admin.sessionId)(undefined, form({ conflictId: t.push.id, decision: 'link' }))).fieldErrors?.accountId).toBeDefined();
  });
});
