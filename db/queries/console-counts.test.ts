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

/** A seeded Fisher-Yates shuffle (the same order every run). */
function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

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

  it('stay exact under concurrent moves of accounts sharing counter rows (status and source, back and forth)', async () => {
    const ids = (await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.organizationId, organizationId))).map((r) => r.id);
    const statuses = ['active', 'suspended', 'deprovisioned', 'pending_approval'] as const;
    const sources = ['jit', 'scim', 'manual'] as const;
    // 16 at a time, each a transaction moving three accounts (so transactions meet on the same counter rows and lock them in varied order).
    const settled = await Promise.allSettled(
      Array.from({ length: 16 }, async (_, worker) => {
        for (let round = 0; round < 6; round++) {
          await db.transaction(async (tx) => {
            for (let k = 0; k < 3; k++) {
              const id = ids[(worker * 7 + round * 5 + k * 11) % ids.length]!;
              await tx
                .update(accounts)
                .set({ status: statuses[(worker + round + k) % 4]!, source: sources[(worker + round * k) % 3]! })
                .where(and(eq(accounts.organizationId, organizationId), eq(accounts.id, id)));
            }
          });
        }
      }),
    );
    expect(settled.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    await expectCountersMatch(organizationId);
  });

  it('never deadlock transactions that each move hundreds of accounts in a different order (migration 0024), beside single moves', async () => {
    // Before 0024 the deferred counter updates ran in write order: 8 such transactions at once deadlocked several times a round.
    const busy = (await makeOrganization(db)).org.id;
    const rows = await db.insert(accounts).values(Array.from({ length: 1750 }, (_, i) => ({ organizationId: busy, source: 'scim' as const, userName: `busy-${i}` }))).returning({ id: accounts.id });
    const ids = rows.map((r) => r.id);
    const failures: unknown[] = [];
    for (let round = 0; round < 6; round++) {
      const status = round % 2 === 0 ? 'suspended' : 'active';
      const many = Array.from({ length: 8 }, (_, w) =>
        db.transaction(async (tx) => {
          for (const id of shuffled(ids.slice(w * 200, w * 200 + 200), round * 31 + w + 1)) {
            await tx.update(accounts).set({ status }).where(and(eq(accounts.organizationId, busy), eq(accounts.id, id)));
          }
        }),
      );
      const single = ids.slice(1600 + round * 25, 1625 + round * 25).map((id) => db.update(accounts).set({ status: 'deprovisioned' }).where(and(eq(accounts.organizationId, busy), eq(accounts.id, id))));
      for (const r of await Promise.allSettled([...many, ...single])) if (r.status === 'rejected') failures.push(r.reason);
    }
    expect(failures.map((e) => (e as { code?: string }).code ?? String(e))).toEqual([]);
    await expectCountersMatch(busy);
  });

  it('a move changes its counter row with one UPDATE; a write that changes nothing counted touches no counter', async () => {
    const [row] = await db.select({ id: accounts.id }).from(accounts).where(and(eq(accounts.organizationId, organizationId), eq(accounts.status, 'active'))).limit(1);
    const id = row!.id;
    // Constraints immediate: the deferred counter trigger runs at the statement's end, where this transaction's table statistics see it.
    const counterWrites = (change: Partial<typeof accounts.$inferInsert>) =>
      db.transaction(async (tx) => {
        // The view holds this backend's counts not yet reported (earlier transactions' too): the difference is this statement's.
        const stats = async () =>
          (await tx.execute<{ ins: number; upd: number }>(sql`select n_tup_ins::int as ins, n_tup_upd::int as upd from pg_stat_xact_user_tables where relname = 'account_counts'`))[0] ?? { ins: 0, upd: 0 };
        await tx.execute(sql`set constraints all immediate`);
        const before = await stats();
        await tx.update(accounts).set(change).where(and(eq(accounts.organizationId, organizationId), eq(accounts.id, id)));
        const after = await stats();
        return { ins: after.ins - before.ins, upd: after.upd - before.upd };
      });
    expect(await counterWrites({ status: 'suspended' })).toEqual({ ins: 0, upd: 1 });
    expect(await counterWrites({ status: 'suspended', displayName: 'same status' })).toEqual({ ins: 0, upd: 0 });
    expect(await counterWrites({ status: 'active', source: 'manual' })).toEqual({ ins: 0, upd: 1 });
    await expectCountersMatch(organizationId);
  });

  it('are zero for an organization without accounts', async () => {
    const empty = (await makeOrganization(db)).org.id;
    expect(await getAccountTotals(db, empty)).toMatchObject({ total: 0, byStatus: { active: 0 }, bySource: { scim: 0 } });
  });
});
