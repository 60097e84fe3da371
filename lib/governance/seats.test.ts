import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { insertConnection } from '@/db/queries/connections';
import { insertExternalIdentity } from '@/db/queries/external-identities';
import { upsertRole } from '@/db/queries/roles';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { asAdmin, closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { NOW, ago, dormantAccount, withPolicy } from './dormancy/testing/fixtures';
import { getSeatReport } from './seats';

const db = testDb();
afterAll(closeTestDb);

describe('seat report', () => {
  it('counts active, dormant, never-signed-in and reclaimed seats, per connection and role, with the monthly saving', async () => {
    const { org, connection: okta } = await makeOrganization(db, { name: 'Okta' });
    const entra = await insertConnection(db, { organizationId: org.id, name: 'Entra', protocol: 'oidc', issuer: 'https://entra.example.test', clientId: 'r', allowedDomains: ['example.com'] });
    await withPolicy(db, org.id);
    await upsertRole(db, { organizationId: org.id, key: 'engineer', name: 'Engineer' });
    await db.execute(sql`update organizations set settings = settings || '{"seatPricePerMonth": 12.5}'::jsonb where id = ${org.id}::uuid`);

    const busy = await dormantAccount(db, org.id, { lastActivityAt: ago(1) });
    const idle = await dormantAccount(db, org.id, { lastActivityAt: ago(100) });
    const unclaimed = await dormantAccount(db, org.id, { createdAt: ago(10) });
    // Never signed in and past the policy's never-signed-in threshold: dormant too.
    await dormantAccount(db, org.id, { createdAt: ago(100) });
    const reclaimed = await dormantAccount(db, org.id, { status: 'suspended', lastActivityAt: ago(150), suspendedAt: ago(10) });
    const gone = await dormantAccount(db, org.id, { status: 'suspended', lastActivityAt: ago(150), suspendedAt: ago(20) });
    await db.execute(sql`update accounts set status = 'deprovisioned' where id = ${gone.id}::uuid`);
    await dormantAccount(db, org.id, { status: 'suspended', lastActivityAt: ago(150), suspendedAt: ago(40) });
    await dormantAccount(db, org.id, { status: 'suspended', lastActivityAt: ago(150) });
    await db.execute(sql`update accounts set first_login_at = last_activity_at, last_login_at = last_activity_at where organization_id = ${org.id}::uuid and last_activity_at is not null`);
    for (const [account, connection] of [[busy, okta], [idle, okta], [idle, entra], [reclaimed, entra]] as const) {
      await insertExternalIdentity(db, { organizationId: org.id, connectionId: connection.id, subject: randomUUID(), accountId: account.id });
    }
    await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: busy.id, roleKey: 'engineer' }, ctx));
    await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: idle.id, roleKey: 'engineer', expiresAt: new Date(Date.now() + 86_400_000) }, ctx));
    await db.execute(sql`update role_assignments set expires_at = ${ago(1).toISOString()}::timestamptz where account_id = ${idle.id}::uuid`);

    const report = await getSeatReport(db, org.id, NOW);
    expect(report.total).toEqual({ active: 4, inUse: 1, dormant: 2, neverSignedIn: 2, reclaimed: 2 });
    expect(report).toMatchObject({ pricePerSeatMonthly: 12.5, monthlySaving: 25, monthlyPotential: 25, dormantAfterDays: 60 });
    const byName = (lines: typeof report.byConnection) => Object.fromEntries(lines.map(({ name, active, dormant, neverSignedIn, reclaimed: r }) => [name, [active, dormant, neverSignedIn, r]]));
    expect(byName(report.byConnection)).toEqual({ Okta: [2, 1, 0, 0], Entra: [1, 1, 0, 1], '(no sign-in identity)': [2, 1, 2, 1] });
    // The expired grant of the idle account no longer counts.
    expect(byName(report.byRole)).toEqual({ Engineer: [1, 0, 0, 0], '(no role)': [3, 2, 2, 2] });
    expect(unclaimed).toBeDefined();
  });

  it('without a policy or a price: no dormant figure, no money', async () => {
    const { org } = await makeOrganization(db);
    await dormantAccount(db, org.id, { lastActivityAt: ago(500) });
    await dormantAccount(db, org.id, { createdAt: ago(500) });
    await db.execute(sql`update accounts set last_login_at = last_activity_at where organization_id = ${org.id}::uuid`);
    const report = await getSeatReport(db, org.id, NOW);
    expect(report).toMatchObject({ total: { active: 2, inUse: 1, dormant: 0, neverSignedIn: 1, reclaimed: 0 }, pricePerSeatMonthly: null, monthlySaving: null, dormantAfterDays: null });
  });
});
