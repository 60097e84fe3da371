import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountCounts, accounts } from '@/db/schema';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { findScimAccounts } from './scim-accounts';

/**
 * The unfiltered SCIM page starts its walk in the account_counts slot that holds position `offset`
 * (slots are ranges of the id order). Checked against a plain ORDER BY id OFFSET … LIMIT over the
 * same accounts, everywhere pages can begin and end: first and last positions, slot edges, past the end.
 */
const db = testDb();
let organizationId = '';
let expected: string[] = [];

beforeAll(async () => {
  const { org } = await makeOrganization(db);
  organizationId = org.id;
  const other = await makeOrganization(db);
  const rows = (orgId: string, n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => ({ organizationId: orgId, source: 'scim' as const, userName: `${prefix}-${i}` }));
  await db.insert(accounts).values(rows(organizationId, 300, 'paged'));
  await db.insert(accounts).values(rows(other.org.id, 40, 'elsewhere')); // another tenant's accounts are never counted
  // Leavers: deprovisioned accounts are not listed; suspended ones are.
  const all = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.organizationId, organizationId)).orderBy(accounts.id);
  const leavers = all.filter((_, i) => i % 13 === 0).map((r) => r.id);
  await db.update(accounts).set({ status: 'deprovisioned' }).where(inArray(accounts.id, leavers));
  await db.update(accounts).set({ status: 'suspended' }).where(inArray(accounts.id, all.filter((_, i) => i % 7 === 0).map((r) => r.id).filter((id) => !leavers.includes(id))));
  expected = all.map((r) => r.id).filter((id) => !leavers.includes(id));
});
afterAll(closeTestDb);

describe('unfiltered SCIM pages (slot-started walk)', () => {
  it('keeps one counter per id range, equal to the visible accounts in it', async () => {
    const counted = await db
      .select({ slot: accountCounts.slot, visible: accountCounts.visible })
      .from(accountCounts)
      .where(and(eq(accountCounts.organizationId, organizationId), sql`${accountCounts.visible} <> 0`))
      .orderBy(accountCounts.slot);
    const actual = await db.execute<{ slot: number; visible: number }>(sql`
      select roster_account_slot(id) as slot, count(*)::int as visible from accounts
      where organization_id = ${organizationId} and status <> 'deprovisioned' group by 1 order by 1`);
    expect(counted).toEqual([...actual].map((r) => ({ slot: r.slot, visible: r.visible })));
    expect(counted.reduce((n, r) => n + r.visible, 0)).toBe(expected.length);
  });

  const offsets = [0, 1, 2, 17, 99, 137, 200, 250, 272, 273, 275, 276, 400];
  it.each([1, 7, 100])('pages of %i read exactly what ORDER BY id OFFSET LIMIT reads, both ways', async (limit) => {
    for (const descending of [false, true]) {
      const order = descending ? [...expected].reverse() : expected;
      for (const offset of [...offsets, ...edges(order)]) {
        const page = await findScimAccounts(db, organizationId, { where: null, sort: null, descending, offset, limit });
        expect({ descending, offset, ids: page.rows.map((r) => r.account.id) }).toEqual({ descending, offset, ids: order.slice(offset, offset + limit) });
        expect(page.total).toBe(expected.length);
      }
    }
  });
});

/** Offsets where a slot begins or ends (the first id with a new first byte), and their neighbours. */
function edges(order: string[]): number[] {
  const slot = (id: string) => parseInt(id.slice(0, 2), 16);
  const found: number[] = [];
  for (let i = 1; i < order.length; i++) if (slot(order[i]!) !== slot(order[i - 1]!)) found.push(i - 1, i, i + 1);
  return [...new Set(found)];
}
