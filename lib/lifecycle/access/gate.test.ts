import { afterAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { findAccountRoles, hasRole, upsertRole } from '@/db/queries/roles';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, makeRuleRole, testDb } from '@/lib/testing/fixtures';
import { reconcileBirthrightRoles } from './birthright';
import { grantRole } from './grant-role';
import { revokeRole } from './revoke-role';

const db = testDb();
afterAll(closeTestDb);
const HOUR = 3_600_000;

async function fixture() {
  const { org, connection } = await makeOrganization(db);
  await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
  const account = await makeAccount(db, org.id);
  return { org, connection, account };
}

describe('the access gate', () => {
  it('grants a role again once its time-bound grant has lapsed (an expired grant is no grant)', async () => {
    const { org, account } = await fixture();
    const past = new Date(Date.now() - 2 * HOUR);
    const first = await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: account.id, roleKey: 'auditor', expiresAt: new Date(past.getTime() + HOUR) }, ctx), past);
    expect(first.granted).toBe(true);
    expect(await hasRole(db, org.id, account.id, 'auditor')).toBe(false);
    expect(await findAccountRoles(db, org.id, account.id)).toEqual([]);

    const again = await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: account.id, roleKey: 'auditor', expiresAt: null }, ctx));
    expect(again).toMatchObject({ granted: true, extended: false });
    expect(await hasRole(db, org.id, account.id, 'auditor')).toBe(true);
    expect(await findAccountRoles(db, org.id, account.id)).toEqual([expect.objectContaining({ key: 'auditor', source: 'manual', expiresAt: null })]);
    const granted = await findAuditEvents(db, org.id, { targetId: account.id, actions: ['role.granted'] });
    expect(granted).toHaveLength(2);
  });

  it('leaves a grant in force alone, and moves a time-bound one to the new expiry (audited)', async () => {
    const { org, account } = await fixture();
    const grant = (expiresAt: Date | null) => asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: account.id, roleKey: 'auditor', expiresAt }, ctx));
    const soon = new Date(Date.now() + HOUR);
    expect(await grant(soon)).toMatchObject({ granted: true });
    expect(await grant(soon)).toMatchObject({ granted: false, extended: false });
    const later = new Date(Date.now() + 5 * HOUR);
    expect(await grant(later)).toMatchObject({ granted: false, extended: true });
    const [changed] = await findAuditEvents(db, org.id, { targetId: account.id, actions: ['role.expiry_changed'] });
    expect(changed?.data).toMatchObject({ roleKey: 'auditor', expiresAt: later.toISOString(), previousExpiresAt: soon.toISOString() });
    expect(await grant(null)).toMatchObject({ extended: true });
    expect(await grant(soon)).toMatchObject({ granted: false, extended: false }); // a permanent grant is not shortened
  });

  it('refuses a grant that expires in the past, and writes nothing', async () => {
    const { org, account } = await fixture();
    await expect(asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: account.id, roleKey: 'auditor', expiresAt: new Date(Date.now() - 1000) }, ctx))).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await findAuditEvents(db, org.id, { targetId: account.id, actions: ['role.granted'] })).toEqual([]);
  });

  it('revokes a manual grant, and explains a role held through a rule instead of revoking it', async () => {
    const { org, connection, account } = await fixture();
    await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: account.id, roleKey: 'auditor' }, ctx));
    const revoked = await asAdmin(db, (tx, ctx) => revokeRole(tx, { organizationId: org.id, accountId: account.id, roleKey: 'auditor', reason: 'left the audit team' }, ctx));
    expect(revoked).toMatchObject({ revoked: true, remaining: [] });
    expect(await hasRole(db, org.id, account.id, 'auditor')).toBe(false);
    const [event] = await findAuditEvents(db, org.id, { targetId: account.id, actions: ['role.revoked'] });
    expect(event?.data).toMatchObject({ roleKey: 'auditor', source: 'manual', reason: 'left the audit team' });

    await makeRuleRole(db, org.id, 'everyone', { match: 'all', conditions: [] });
    await asAdmin(db, (tx, ctx) => reconcileBirthrightRoles(tx, { account, connection: { id: connection.id, defaultRoles: [] } }, ctx));
    await expect(asAdmin(db, (tx, ctx) => revokeRole(tx, { organizationId: org.id, accountId: account.id, roleKey: 'everyone' }, ctx))).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('held through birthright'),
    });
    expect(await hasRole(db, org.id, account.id, 'everyone')).toBe(true);
  });
});
