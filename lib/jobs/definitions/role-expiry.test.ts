import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { upsertRole } from '@/db/queries/roles';
import { auditEvents, roleAssignments } from '@/db/schema';
import type { Actor } from '@/lib/audit/record-event';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { roleExpiryJob, runRoleExpiry } from './role-expiry';

const db = testDb();
afterAll(closeTestDb);
const HOUR = 3_600_000;
const system: Actor = { type: 'system', id: 'role-expiry' };
const T0 = new Date('2031-05-01T09:00:00.000Z');

/** An organization with `n` accounts each granted `auditor` at T0 until T0 + its hours (null: no end). */
async function setup(hours: (number | null)[]) {
  const { org } = await makeOrganization(db);
  await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
  const accounts = [];
  for (const h of hours) {
    const account = await makeAccount(db, org.id);
    await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: account.id, roleKey: 'auditor', expiresAt: h === null ? null : new Date(T0.getTime() + h * HOUR) }, ctx), T0);
    accounts.push(account);
  }
  return { org, accounts };
}

const grantsOf = (organizationId: string) => db.select({ accountId: roleAssignments.accountId, expiresAt: roleAssignments.expiresAt }).from(roleAssignments).where(eq(roleAssignments.organizationId, organizationId));
const expiredEvents = (organizationId: string) => db.select().from(auditEvents).where(and(eq(auditEvents.organizationId, organizationId), eq(auditEvents.action, 'role.expired')));
const run = (organizationId: string, now: Date, extra: { dryRun?: boolean; runId?: string } = {}) =>
  runRoleExpiry({ db, now, dryRun: extra.dryRun ?? false, organizationId, runId: extra.runId ?? randomUUID(), actor: system });

describe('role-expiry job', () => {
  it('is an organization job ticking every minute', () => {
    expect(roleExpiryJob).toMatchObject({ name: 'role-expiry', scope: 'organization', schedule: '* * * * *' });
  });

  it('fans its tick out only to organizations with a lapsed grant', async () => {
    const lapsed = await setup([1]);
    const later = await setup([5]);
    const picked = await roleExpiryJob.selectOrganizations!(db, new Date(T0.getTime() + 2 * HOUR));
    expect(picked).toContain(lapsed.org.id);
    expect(picked).not.toContain(later.org.id);
    await run(lapsed.org.id, new Date(T0.getTime() + 2 * HOUR));
    expect(await roleExpiryJob.selectOrganizations!(db, new Date(T0.getTime() + 2 * HOUR))).not.toContain(lapsed.org.id);
  });

  it('revokes a grant at exactly its end (not a millisecond before), audits role.expired with the run, and leaves grants without end alone', async () => {
    const { org, accounts } = await setup([1, 2, null]);
    const end = new Date(T0.getTime() + HOUR);
    expect(await run(org.id, new Date(end.getTime() - 1))).toMatchObject({ counts: { revoke_role: 0 } });
    const runId = randomUUID();
    expect(await run(org.id, end, { runId })).toMatchObject({ counts: { revoke_role: 1 } });
    expect((await grantsOf(org.id)).map((g) => g.accountId).sort()).toEqual([accounts[1]!.id, accounts[2]!.id].sort());
    const events = await expiredEvents(org.id);
    expect(events).toEqual([
      expect.objectContaining({ actorType: 'system', actorId: 'role-expiry', targetType: 'account', targetId: accounts[0]!.id, data: expect.objectContaining({ runId, roleKey: 'auditor', source: 'manual', sourceRef: '', expiresAt: end.toISOString() }) }),
    ]);
    // Idempotent: the same tick again finds nothing.
    expect(await run(org.id, end)).toMatchObject({ counts: { revoke_role: 0 } });
    expect(await expiredEvents(org.id)).toHaveLength(1);
  });

  it('plans in a dry run exactly what a run does, and changes nothing', async () => {
    const { org, accounts } = await setup([1, 1, 3]);
    const now = new Date(T0.getTime() + 2 * HOUR);
    const dry = await run(org.id, now, { dryRun: true });
    expect(dry.counts).toEqual({ revoke_role: 2 });
    expect(dry.planned!.map((p) => p.accountId).sort()).toEqual([accounts[0]!.id, accounts[1]!.id].sort());
    expect(dry.planned![0]).toMatchObject({ action: 'revoke_role', role: 'auditor', userName: expect.any(String), clause: `expired at ${new Date(T0.getTime() + HOUR).toISOString()}` });
    expect(await grantsOf(org.id)).toHaveLength(3);
    expect(await expiredEvents(org.id)).toHaveLength(0);
    const real = await run(org.id, now);
    expect(real.counts).toEqual(dry.counts);
    expect((await expiredEvents(org.id)).map((e) => e.targetId).sort()).toEqual(dry.planned!.map((p) => p.accountId).sort());
  });

  it('a run killed after its first batch leaves whole batches behind, and the next run finishes', async () => {
    const { org } = await setup([1, 1, 1, 1, 1, null]);
    const now = new Date(T0.getTime() + HOUR);
    const crash = runRoleExpiry(
      { db, now, dryRun: false, organizationId: org.id, runId: randomUUID(), actor: system },
      { batchSize: 2, afterBatch: () => Promise.reject(new Error('killed')) },
    );
    await expect(crash).rejects.toThrow('killed');
    expect(await grantsOf(org.id)).toHaveLength(4);
    const first = await expiredEvents(org.id);
    expect(first).toHaveLength(2);
    const rerun = await runRoleExpiry({ db, now, dryRun: false, organizationId: org.id, runId: randomUUID(), actor: system }, { batchSize: 2 });
    expect(rerun).toMatchObject({ counts: { revoke_role: 3 }, details: { batches: 2 } });
    expect(await grantsOf(org.id)).toEqual([expect.objectContaining({ expiresAt: null })]);
    const all = await expiredEvents(org.id);
    expect(all).toHaveLength(5);
    expect(new Set(all.map((e) => e.targetId)).size).toBe(5);
  });

  it('two runs racing revoke and audit each grant once', async () => {
    const { org } = await setup([1, 1, 1, 1, 1, 1, 1]);
    const now = new Date(T0.getTime() + HOUR);
    const race = () => runRoleExpiry({ db, now, dryRun: false, organizationId: org.id, runId: randomUUID(), actor: system }, { batchSize: 2 });
    const [a, b] = await Promise.all([race(), race()]);
    const rest = await race();
    expect((a.counts.revoke_role ?? 0) + (b.counts.revoke_role ?? 0) + (rest.counts.revoke_role ?? 0)).toBe(7);
    expect(await grantsOf(org.id)).toHaveLength(0);
    const events = await expiredEvents(org.id);
    expect(new Set(events.map((e) => e.targetId)).size).toBe(7);
    expect(events).toHaveLength(7);
  });

  it('touches no other organization', async () => {
    const mine = await setup([1]);
    const theirs = await setup([1]);
    await run(mine.org.id, new Date(T0.getTime() + HOUR));
    expect(await grantsOf(mine.org.id)).toHaveLength(0);
    expect(await grantsOf(theirs.org.id)).toHaveLength(1);
    expect(await db.select().from(auditEvents).where(and(inArray(auditEvents.organizationId, [theirs.org.id]), eq(auditEvents.action, 'role.expired')))).toHaveLength(0);
  });

  it('refuses a run without an organization', async () => {
    await expect(runRoleExpiry({ db, now: T0, dryRun: false, organizationId: null, runId: randomUUID(), actor: system })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
