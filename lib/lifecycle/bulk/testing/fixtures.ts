import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Database } from '@/db';
import { upsertRole } from '@/db/queries/roles';
import { accounts, auditEvents, roleAssignments, sessions } from '@/db/schema';
import type { Actor } from '@/lib/audit/record-event';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { asAdmin, makeAccount, makeOrganization, makeRuleRole } from '@/lib/testing/fixtures';
import { reconcileBirthrightRoles } from '../../access/birthright';
import { grantRole } from '../../access/grant-role';
import { deprovisionAccount } from '../../account/deprovision-account';
import { placeSecurityHold } from '../../account/security-hold';
import { setAccountStatus } from '../../account/set-account-status';

/**
 * An organization with an account in every state a bulk action treats differently, made through
 * the lifecycle commands: the signed-in admin who runs the actions, an active account with a live
 * session, suspended, deprovisioned, waiting for approval, under a security hold, suspended by the
 * directory (SCIM active=false); roles `auditor` (granted by hand to `manual` and `both`) and
 * `everyone` (a birthright rule, held by `rule` and `both`); and an account of another organization.
 */
export async function makeBulkCast(db: Database) {
  const { org, connection } = await makeOrganization(db);
  const { org: otherOrg } = await makeOrganization(db);
  await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
  const admin = await makeAdminSession(db, org.id, connection.id);
  const signedIn = await makeAdminSession(db, org.id, connection.id, { admin: false });
  const [active, suspended, deprovisioned, pending, held, manual, rule, both, stranger] = await Promise.all([
    makeAccount(db, org.id),
    makeAccount(db, org.id),
    makeAccount(db, org.id),
    makeAccount(db, org.id),
    makeAccount(db, org.id),
    makeAccount(db, org.id),
    makeAccount(db, org.id),
    makeAccount(db, org.id),
    makeAccount(db, otherOrg.id),
  ]);
  const directoryInactive = await makeAccount(db, org.id, { door: 'scim', active: false });
  await makeRuleRole(db, org.id, 'everyone', { match: 'all', conditions: [] });
  await asAdmin(db, async (tx, ctx) => {
    const at = (account: { id: string }) => ({ organizationId: org.id, accountId: account.id });
    await setAccountStatus(tx, { ...at(suspended), status: 'suspended' }, ctx);
    await deprovisionAccount(tx, at(deprovisioned), ctx);
    await setAccountStatus(tx, { ...at(pending), status: 'pending_approval' }, ctx);
    await placeSecurityHold(tx, { ...at(held), reason: 'stolen laptop' }, ctx);
    for (const account of [manual, both]) await grantRole(tx, { ...at(account), roleKey: 'auditor' }, ctx);
    for (const account of [rule, both]) await reconcileBirthrightRoles(tx, { account, connection: { id: connection.id, defaultRoles: [] } }, ctx);
  });
  const actor: Actor = { type: 'admin', id: admin.account.id };
  return {
    org,
    otherOrg,
    actor,
    admin: admin.account,
    signedIn: signedIn.account,
    accounts: { active, suspended, deprovisioned, pending, held, directoryInactive, manual, rule, both },
    stranger,
  };
}

/** Everything a bulk action could write in these organizations: accounts, role assignments, sessions, audit events. */
export async function snapshot(db: Database, organizationIds: string[]) {
  const [accountRows, assignmentRows, sessionRows, [events]] = await Promise.all([
    db.select({ id: accounts.id, status: accounts.status, version: accounts.version, deactivatedAt: accounts.deactivatedAt }).from(accounts).where(inArray(accounts.organizationId, organizationIds)).orderBy(asc(accounts.id)),
    db.select().from(roleAssignments).where(inArray(roleAssignments.organizationId, organizationIds)).orderBy(asc(roleAssignments.id)),
    db.select({ id: sessions.id, revokedAt: sessions.revokedAt }).from(sessions).where(inArray(sessions.organizationId, organizationIds)).orderBy(asc(sessions.id)),
    db.select({ value: count() }).from(auditEvents).where(inArray(auditEvents.organizationId, organizationIds)),
  ]);
  return { accountRows, assignmentRows, sessionRows, events: events?.value ?? 0 };
}

/** The audit events of one organization with this action, oldest first. */
export async function eventsOf(db: Database, organizationId: string, action: string) {
  return db.select().from(auditEvents).where(and(eq(auditEvents.organizationId, organizationId), eq(auditEvents.action, action))).orderBy(asc(auditEvents.id));
}
