import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { accounts, organizations } from '@/db/schema';
import { closeTestDb, asAdmin, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { deprovisionAccount } from './deprovision-account';
import { purgeDeprovisionedAccounts } from './purge-deprovisioned';

const db = testDb();
const DAY = 86_400_000;
afterAll(closeTestDb);

async function deprovisionedAccount(settings: Record<string, unknown>) {
  const { org } = await makeOrganization(db);
  await db.update(organizations).set({ settings }).where(eq(organizations.id, org.id));
  const account = await makeAccount(db, org.id, {
    door: 'scim',
    userName: 'gone@example.com',
    profile: { displayName: 'Gone' },
    externalId: 'ext-gone',
    scimAttributes: { phoneNumbers: [{ value: '555' }] },
  });
  await asAdmin(db, (tx, ctx) => deprovisionAccount(tx, { organizationId: org.id, accountId: account.id }, ctx));
  return { org, account };
}

describe('purgeDeprovisionedAccounts', () => {
  it('purges personal data after the organization\'s N days, keeps the record, frees the user name, audits it', async () => {
    const { org, account } = await deprovisionedAccount({ purgeDeprovisionedAfterDays: 30 });
    const early = new Date(Date.now() + 10 * DAY);
    expect((await purgeDeprovisionedAccounts({ db, now: early })).accountIds).not.toContain(account.id);
    const later = new Date(Date.now() + 31 * DAY);
    expect((await purgeDeprovisionedAccounts({ db, now: later, dryRun: true })).accountIds).toContain(account.id);
    expect((await purgeDeprovisionedAccounts({ db, now: later })).accountIds).toContain(account.id);
    const [row] = await db.select().from(accounts).where(eq(accounts.id, account.id));
    expect(row).toMatchObject({ status: 'deprovisioned', userName: `purged:${account.id}`, email: null, displayName: null, externalId: null, scimAttributes: {}, purgedAt: later });
    expect(await findAuditEvents(db, org.id, { targetId: account.id, actions: ['account.purged'] })).toHaveLength(1);
    expect((await purgeDeprovisionedAccounts({ db, now: later })).accountIds).not.toContain(account.id);
  });

  it('never purges where the organization has not asked for it', async () => {
    const { account } = await deprovisionedAccount({});
    expect((await purgeDeprovisionedAccounts({ db, now: new Date(Date.now() + 3650 * DAY) })).accountIds).not.toContain(account.id);
  });
});
