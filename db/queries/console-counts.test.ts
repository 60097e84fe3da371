import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, type AccountStatus } from '@/db/schema';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { getAccountTotals, type AccountSource } from './console-counts';

/**
 * The counters per status and source (migration 0015's trigger) against counting the rows, through
 * inserts, status changes (one transaction changing a row twice too), deletes; another
 * organization's accounts never count.
 */
const db = testDb();
let organizationId = '';
let otherId = '';

async function actual(orgId: string) {
  const rows = await db.execute<{ status: AccountStatus; source: AccountSource; n: number }>(
    sql`select status, source, count(*)::int as n from accounts where organization_id = ${orgId}::uuid group by 1, 2`,
  );
  return [...rows];
}

async function expectCountersMatch(orgId: string) {
  const totals = await getAccountTotals(db, orgId);
  const rows = await actual(orgId);
  for (const status of ['active', 'suspended', 'deprovisioned', 'pending_approval'] as const) {
    for (const source of ['jit', 'scim', 'manual'] as const) {
      const n = rows.find((r) => r.status === status && r.source === source)?.n ?? 0;
      expect({ status, source, n: totals.count([status], [source]) }).toEqual({ status, source, n });
    }
  }
  expect(totals.total).toBe(rows.reduce((n, r) => n + r.n, 0));
  return totals;
}

beforeAll(async () => {
  organizationId = (await makeOrganization(db)).org.id;
  otherId = (await makeOrganization(db)).org.id;
  const sources = ['jit', 'scim', 'manual'] as const;
  const statuses = ['active', 'suspended', 'deprovisioned', 'pending_approval'] as const;
  await db.insert(accounts).values(
    Array.from({ length: 120 }, (_, i) => ({ organizationId, source: sources[i % 3]!, status: statuses[i % 4]!, userName: `counted-${i}` })),
  );
  await db.insert(accounts).values(Array.from({ length: 30 }, (_, i) => ({ organizationId: otherId, source: 'scim' as const, userName: `elsewhere-${i}` })));
});
afterAll(closeTestDb);

describe('account counters by status and source', () => {
  it('count every status and source of the organization, and only its own', async () => {
    const totals = await expectCountersMatch(organizationId);
    expect(totals.total).toBe(120);
    expect(totals.byStatus).toEqual({ active: 30, suspended: 30, deprovisioned: 30, pending_approval: 30 });
    expect(totals.bySource).toEqual({ jit: 40, scim: 40, manual: 40 });
    expect(totals.count(['active', 'suspended'], ['scim'])).toBe(20);
    expect((await getAccountTotals(db, otherId)).total).toBe(30);
  });

  it('follow status changes, a row changed twice in one transaction, and deletes', async () => {
    const ids = (await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.organizationId, organizationId)).limit(40)).map((r) => r.id);
    await db.update(accounts).set({ status: 'suspended' }).where(and(eq(accounts.organizationId, organizationId), inArray(accounts.id, ids.slice(0, 20))));
    await db.transaction(async (tx) => {
      await tx.update(accounts).set({ status: 'deprovisioned' }).where(and(eq(accounts.organizationId, organizationId), inArray(accounts.id, ids.slice(20, 30))));
      await tx.update(accounts).set({ status: 'active' }).where(and(eq(accounts.organizationId, organizationId), inArray(accounts.id, ids.slice(20, 25))));
    });
    await db.delete(accounts).where(and(eq(accounts.organizationId, organizationId), inArray(accounts.id, ids.slice(30, 40))));
    const totals = await expectCountersMatch(organizationId);
    expect(totals.total).toBe(110);
  });

  it('are zero for an organization without accounts', async () => {
    const empty = (await makeOrganization(db)).org.id;
    expect(await getAccountTotals(db, empty)).toMatchObject({ total: 0, byStatus: { active: 0 }, bySource: { scim: 0 } });
  });
});
