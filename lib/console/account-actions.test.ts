import { afterAll, describe, expect, it } from 'vitest';
import { getAccountById } from '@/db/queries/accounts';
import { findAuditEvents } from '@/db/queries/audit-events';
import { upsertRole } from '@/db/queries/roles';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { defineAdminAction } from '@/lib/auth/define-action';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { accountActions } from './account-actions';

const db = testDb();
afterAll(closeTestDb);

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};
type Name = keyof typeof accountActions;
const bind = (name: Name, sessionId: string) => {
  const action = accountActions[name];
  return defineAdminAction(action.name, action.schema, action.run as never, { db: () => db, gate: () => resolveAdmin(db, sessionId), onSignedOut: () => { throw new Error('signed out'); } });
};
/** What each action needs besides the account. */
const fields: Record<Name, Record<string, string>> = {
  suspend: { reason: 'test' },
  restore: {},
  deprovision: { reason: 'left', confirm: 'deprovision' },
  revokeSessions: {},
  grantRole: { roleKey: 'auditor' },
  revokeRole: { roleKey: 'auditor' },
  placeHold: { reason: 'stolen laptop' },
  liftHold: {},
  setEndDate: { endsAt: '2099-01-31' },
  clearEndDate: {},
};

async function tenant() {
  const { org, connection } = await makeOrganization(db);
  await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
  const admin = await makeAdminSession(db, org.id, connection.id);
  const auditor = await makeAdminSession(db, org.id, connection.id, { admin: false });
  await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: auditor.account.id, roleKey: 'auditor' }, ctx));
  const target = await makeAccount(db, org.id);
  return { org, admin, auditor, target };
}

describe('the account page actions', () => {
  it('an admin suspends, holds, grants, revokes, ends sessions and deprovisions, each audited with the admin as actor', async () => {
    const a = await tenant();
    for (const name of ['grantRole', 'revokeRole', 'suspend', 'restore', 'revokeSessions', 'placeHold', 'liftHold', 'deprovision'] as Name[]) {
      const state = await bind(name, a.admin.sessionId)(undefined, form({ accountId: a.target.id, ...fields[name] }));
      expect(state, name).toMatchObject({ ok: true });
    }
    expect(await getAccountById(db, a.org.id, a.target.id)).toMatchObject({ status: 'deprovisioned' });
    const events = await findAuditEvents(db, a.org.id, { targetId: a.target.id, limit: 100 });
    expect(events.filter((e) => e.action !== 'account.created').every((e) => e.actorType === 'admin' && e.actorId === a.admin.account.id)).toBe(true);
    expect(new Set(events.map((e) => e.action))).toEqual(new Set(['account.created', 'role.granted', 'role.revoked', 'account.suspended', 'account.restored', 'account.sessions_revoked', 'account.security_hold_placed', 'account.security_hold_lifted', 'account.deprovisioned']));
  });

  it.each(Object.keys(fields) as Name[])('%s: an account of another organization is not found, and nothing changes there', async (name) => {
    const [a, b] = [await tenant(), await tenant()];
    const state = await bind(name, a.admin.sessionId)(undefined, form({ accountId: b.target.id, ...fields[name] }));
    expect(state.ok).toBeUndefined();
    expect(state.error).toMatch(/No such account|does not hold/);
    expect(await getAccountById(db, b.org.id, b.target.id)).toMatchObject({ status: 'active', version: b.target.version });
    expect(await findAuditEvents(db, b.org.id, { targetId: b.target.id, limit: 10 })).toHaveLength(1); // its creation only
  });

  it.each(Object.keys(fields) as Name[])('%s: an auditor is refused, and the refusal is audited', async (name) => {
    const a = await tenant();
    const state = await bind(name, a.auditor.sessionId)(undefined, form({ accountId: a.target.id, ...fields[name] }));
    expect(state).toEqual({ error: 'Only an administrator of this organization can do that.' });
    expect(await getAccountById(db, a.org.id, a.target.id)).toMatchObject({ status: 'active', version: a.target.version });
    expect(await findAuditEvents(db, a.org.id, { actions: ['admin.action_refused'] })).toHaveLength(1);
  });

  it('an admin sets and clears the end date; a bad or past date is refused beside its field, and nothing changes', async () => {
    const a = await tenant();
    const set = bind('setEndDate', a.admin.sessionId);
    for (const endsAt of ['', 'next friday', '2020-01-01', '2099-02-30']) {
      const state = await set(undefined, form({ accountId: a.target.id, endsAt }));
      expect(state.fieldErrors?.endsAt, endsAt).toHaveLength(1);
    }
    expect(await getAccountById(db, a.org.id, a.target.id)).toMatchObject({ endsAt: null, version: a.target.version });
    expect(await set(undefined, form({ accountId: a.target.id, endsAt: '2099-01-31' }))).toMatchObject({ ok: true, data: { message: 'The account ends on 2099-01-31.' } });
    expect(await getAccountById(db, a.org.id, a.target.id)).toMatchObject({ endsAt: new Date('2099-01-31T00:00:00Z'), fieldOwners: { endsAt: 'admin' } });
    expect(await bind('clearEndDate', a.admin.sessionId)(undefined, form({ accountId: a.target.id }))).toMatchObject({ ok: true, data: { message: 'End date cleared.' } });
    expect(await getAccountById(db, a.org.id, a.target.id)).toMatchObject({ endsAt: null });
    const events = await findAuditEvents(db, a.org.id, { targetId: a.target.id, actions: ['account.end_date_set', 'account.end_date_cleared'] });
    expect(events.map((e) => [e.action, e.actorId])).toEqual([['account.end_date_cleared', a.admin.account.id], ['account.end_date_set', a.admin.account.id]]);
  });
});
