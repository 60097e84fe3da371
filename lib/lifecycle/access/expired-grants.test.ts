import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { findConsoleAccounts } from '@/db/queries/console-accounts';
import { findPrivilegedPeople } from '@/db/queries/console-people';
import { findAccountRoles, hasRole, upsertRole } from '@/db/queries/roles';
import { roleAssignments } from '@/db/schema';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { getAccountView } from '@/lib/lifecycle/account/account-view';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { revokeRole } from './revoke-role';

/**
 * A grant whose end has passed counts for nothing wherever roles are read, before the role-expiry
 * job has revoked it: the admin and auditor gates, the account view (console page, CLI, /me), the
 * console's role filter and its people page. These grants are written as the job would find them
 * (lapsed, not yet revoked), which the gate itself never writes.
 */
const db = testDb();
afterAll(closeTestDb);

async function lapsedGrant(organizationId: string, accountId: string, key: string, endedMsAgo = 1000) {
  const role = await upsertRole(db, { organizationId, key, name: key });
  await db.insert(roleAssignments).values({ organizationId, accountId, roleId: role.id, source: 'manual', grantedAt: new Date(Date.now() - 86_400_000), expiresAt: new Date(Date.now() - endedMsAgo) });
  return role;
}

describe('an expired grant not yet revoked', () => {
  it('stops counting at exactly its end: expires_at = now() is no grant, a millisecond later still is', async () => {
    const { org } = await makeOrganization(db);
    const account = await makeAccount(db, org.id);
    const role = await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
    await db.transaction(async (tx) => {
      // now() is the transaction's clock: the same instant for the insert and the read.
      await tx.insert(roleAssignments).values({ organizationId: org.id, accountId: account.id, roleId: role.id, source: 'manual', expiresAt: sql`now()` });
      expect(await hasRole(tx, org.id, account.id, 'auditor')).toBe(false);
      expect(await findAccountRoles(tx, org.id, account.id)).toEqual([]);
      await tx.update(roleAssignments).set({ expiresAt: sql`now() + interval '1 millisecond'` }).where(sql`${roleAssignments.accountId} = ${account.id}`);
      expect(await hasRole(tx, org.id, account.id, 'auditor')).toBe(true);
      tx.rollback();
    }).catch((e: unknown) => {
      if (!(e instanceof Error && e.message === 'Rollback')) throw e;
    });
  });

  it('opens no console: the admin gate refuses an expired admin grant', async () => {
    const { org, connection } = await makeOrganization(db);
    const admin = await makeAdminSession(db, org.id, connection.id);
    expect(await resolveAdmin(db, admin.sessionId)).toMatchObject({ kind: 'admin' });
    const other = await makeAdminSession(db, org.id, connection.id, { admin: false });
    await lapsedGrant(org.id, other.account.id, 'admin');
    await lapsedGrant(org.id, other.account.id, 'auditor');
    expect(await resolveAdmin(db, other.sessionId)).toMatchObject({ kind: 'forbidden' });
    // requireConsole's auditor check reads the same way.
    expect(await hasRole(db, org.id, other.account.id, 'auditor')).toBe(false);
  });

  it('is absent from the account view, the role filter of the accounts list and the people page', async () => {
    const { org } = await makeOrganization(db);
    const [holder, lapsed] = [await makeAccount(db, org.id), await makeAccount(db, org.id)];
    const auditor = await lapsedGrant(org.id, lapsed.id, 'auditor');
    await db.insert(roleAssignments).values({ organizationId: org.id, accountId: holder.id, roleId: auditor.id, source: 'manual', expiresAt: new Date(Date.now() + 86_400_000) });

    expect((await getAccountView(db, org.id, lapsed.id)).roles).toEqual([]);
    expect((await getAccountView(db, org.id, holder.id)).roles).toEqual([expect.objectContaining({ key: 'auditor' })]);

    const page = await findConsoleAccounts(db, org.id, { roleKey: 'auditor', sort: { by: 'userName', dir: 'asc' }, limit: 50, cursor: null });
    expect(page.rows.map((r) => r.id)).toEqual([holder.id]);
    expect(page.total).toBe(1);

    expect((await findPrivilegedPeople(db, org.id)).map((g) => g.accountId)).toEqual([holder.id]);
  });

  it('cannot be revoked by hand: the account no longer holds the role', async () => {
    const { org } = await makeOrganization(db);
    const account = await makeAccount(db, org.id);
    await lapsedGrant(org.id, account.id, 'auditor');
    await expect(asAdmin(db, (tx, ctx) => revokeRole(tx, { organizationId: org.id, accountId: account.id, roleKey: 'auditor' }, ctx))).rejects.toMatchObject({ code: 'not_found' });
  });
});
