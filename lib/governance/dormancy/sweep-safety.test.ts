import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { accountState, ago, dormantAccount, eventsOf, sweep, withPolicy } from './testing/fixtures';

const db = testDb();
afterAll(closeTestDb);

async function org(idle: number, fresh: number, policy: Parameters<typeof withPolicy>[2]) {
  const { org } = await makeOrganization(db);
  await withPolicy(db, org.id, policy);
  const accounts = await Promise.all([
    ...Array.from({ length: idle }, () => dormantAccount(db, org.id, { lastActivityAt: ago(100) })),
    ...Array.from({ length: fresh }, () => dormantAccount(db, org.id, { lastActivityAt: ago(1) })),
  ]);
  return { org, idle: accounts.slice(0, idle), fresh: accounts.slice(idle) };
}

describe('dormancy sweep safety', () => {
  it('halts before acting when the run would suspend more than the share allowed, and lists the plan', async () => {
    const { org: o, idle } = await org(3, 7, { maxSharePercent: 20 });
    const run = await sweep(db, o.id);
    expect(run.halted?.reason).toMatch(/3 of 10 active accounts \(30\.0%\), over the limit of 20%/);
    expect(run.planned).toHaveLength(3);
    expect(run.counts).toMatchObject({ suspend: 3 });
    for (const a of idle) expect((await accountState(db, a.id)).status).toBe('active');
    expect(await eventsOf(db, o.id, 'account.suspended')).toHaveLength(0);
  });

  it('halts over the count limit; a confirmed run passes up to what was confirmed, not more', async () => {
    const { org: o, idle } = await org(3, 1, { maxCount: 2 });
    const halted = await sweep(db, o.id);
    expect(halted.halted?.reason).toMatch(/over the limit of 2/);
    const smaller = await sweep(db, o.id, { confirmed: { runId: 'r', counts: { suspend: 2 } } });
    expect(smaller.halted?.reason).toMatch(/more than the 2 an admin confirmed/);
    const confirmed = await sweep(db, o.id, { confirmed: { runId: 'r', counts: { suspend: 3 } } });
    expect(confirmed.halted ?? null).toBeNull();
    expect(confirmed.counts).toMatchObject({ suspend: 3 });
    for (const a of idle) expect((await accountState(db, a.id)).status).toBe('suspended');
  });

  it('a run killed after its first batch leaves whole batches done; the rerun finishes the rest, once each', async () => {
    const { org: o, idle } = await org(7, 0, {});
    const crash = () => {
      throw new Error('killed');
    };
    await expect(sweep(db, o.id, {}, { batchSize: 3, afterBatch: crash })).rejects.toThrow('killed');
    const states = await Promise.all(idle.map((a) => accountState(db, a.id)));
    const suspended = states.filter((s) => s.status === 'suspended');
    expect(suspended).toHaveLength(3);
    expect(suspended.every((s) => s.dormancy_suspended_at !== null)).toBe(true);
    expect(await eventsOf(db, o.id, 'account.suspended')).toHaveLength(3);

    const rerun = await sweep(db, o.id, {}, { batchSize: 3 });
    expect(rerun.counts).toMatchObject({ suspend: 4 });
    for (const a of idle) expect((await accountState(db, a.id)).status).toBe('suspended');
    const events = await eventsOf(db, o.id, 'account.suspended');
    expect(new Set(events.map((e) => e.target_id)).size).toBe(7);
    expect(events).toHaveLength(7);
  });

  it('a batch re-checks each account: one active again since the scan is left alone', async () => {
    const { org: o, idle } = await org(4, 0, {});
    let calls = 0;
    const run = await sweep(db, o.id, {}, {
      batchSize: 2,
      // Between the batches, the accounts not yet suspended sign in.
      afterBatch: async () => void (calls++ === 0 && (await db.execute(sql`update accounts set last_activity_at = now() where organization_id = ${o.id}::uuid and status = 'active'`))),
    });
    expect(run.counts).toMatchObject({ suspend: 2 });
    const states = await Promise.all(idle.map((a) => accountState(db, a.id)));
    expect(states.filter((s) => s.status === 'suspended')).toHaveLength(2);
    expect(await eventsOf(db, o.id, 'account.suspended')).toHaveLength(2);
  });

  it('does nothing without a policy', async () => {
    const { org: o } = await makeOrganization(db);
    await dormantAccount(db, o.id, { lastActivityAt: ago(500) });
    expect(await sweep(db, o.id)).toMatchObject({ counts: {}, details: { policy: null } });
  });
});
