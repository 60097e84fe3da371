import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { upsertRole } from '@/db/queries/roles';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { changeGroupMembers } from '@/lib/lifecycle/group/change-group-members';
import { createGroup } from '@/lib/lifecycle/group/manage-group';
import { restoreAccount } from '@/lib/lifecycle/account/set-account-status';
import { dormancyJob } from '@/lib/jobs/definitions/dormancy';
import { decideDormancy } from '@/lib/policy/dormancy';
import { asAdmin, closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { setNotifyTransport, type Notification, type NotifyTransport } from '../notify';
import { rulesOf } from './plan';
import { DAY, NOW, accountState, addSession, ago, dormantAccount, eventsOf, sweep, withPolicy } from './testing/fixtures';

const db = testDb();
afterAll(closeTestDb);

let sent: Notification[] = [];
let previous: NotifyTransport;
beforeEach(() => {
  sent = [];
  previous = setNotifyTransport((n) => void sent.push(...n));
});
afterEach(() => void setNotifyTransport(previous));

describe('dormancy sweep', () => {
  it('selects in SQL exactly what the pure decision says, at every edge', async () => {
    const { org } = await makeOrganization(db);
    const policy = await withPolicy(db, org.id, { warnBeforeDays: 7 });
    const cases = [
      { lastActivityAt: ago(60, -1) },
      { lastActivityAt: ago(60) },
      { lastActivityAt: ago(83, -1) },
      { lastActivityAt: ago(83) },
      { lastActivityAt: ago(90), warnedAt: ago(6) },
      { lastActivityAt: ago(90), warnedAt: ago(7) },
      { lastActivityAt: ago(90, -1), warnedAt: ago(7) },
      { lastActivityAt: ago(85), warnedAt: ago(86) },
      { createdAt: ago(38, -1) },
      { createdAt: ago(38) },
      { createdAt: ago(45), warnedAt: ago(7) },
      { createdAt: ago(45, -1), warnedAt: ago(7) },
      { status: 'suspended' as const, lastActivityAt: ago(200), suspendedAt: ago(30) },
      { status: 'suspended' as const, lastActivityAt: ago(200), suspendedAt: ago(30, -1) },
      { status: 'suspended' as const, lastActivityAt: ago(200) },
      { lastActivityAt: ago(300), exempt: true },
    ];
    const accounts = await Promise.all(cases.map((c) => dormantAccount(db, org.id, c)));
    const run = await sweep(db, org.id, { dryRun: true });
    const planned = new Map(run.planned!.map((p) => [p.accountId, p]));
    let dormant = 0;
    cases.forEach((c, i) => {
      const subject = { status: c.status ?? 'active', createdAt: c.createdAt ?? ago(400), lastActivityAt: c.lastActivityAt ?? null, dormancyWarnedAt: c.warnedAt ?? null, dormancySuspendedAt: c.suspendedAt ?? null, exempt: c.exempt ?? false };
      const decision = decideDormancy(subject, rulesOf(policy), NOW);
      if (decision.action === 'dormant') dormant++;
      const expected = decision.action === 'none' || decision.action === 'dormant' ? undefined : { action: decision.action, clause: decision.clause };
      const got = planned.get(accounts[i]!.id);
      expect(got && { action: got.action, clause: got.clause }, JSON.stringify(c)).toEqual(expected);
    });
    expect(run.counts.dormant).toBe(dormant);
    expect(run.counts).toMatchObject({ warn: 3, suspend: 2, deprovision: 1 });
  });

  it('dry run changes nothing and lists each account with its clause; as-of previews a later date', async () => {
    const { org } = await makeOrganization(db);
    await withPolicy(db, org.id);
    const idle = await dormantAccount(db, org.id, { lastActivityAt: new Date('2026-09-01T00:00:00Z') });
    const soon = await dormantAccount(db, org.id, { lastActivityAt: ago(80) });
    await addSession(db, org.id, idle.id);
    const dry = await sweep(db, org.id, { dryRun: true });
    expect(dry.planned).toEqual([{ accountId: idle.id, userName: idle.userName, action: 'suspend', clause: 'no activity for 91 days (last 2026-09-01); suspend after 90' }]);
    expect(await accountState(db, idle.id)).toMatchObject({ status: 'active', live_sessions: 1, dormancy_suspended_at: null });
    expect(await eventsOf(db, org.id, 'account.suspended')).toHaveLength(0);

    const later = await sweep(db, org.id, { dryRun: true, now: new Date(NOW.getTime() + 10 * DAY) });
    expect(later.planned!.map((p) => p.accountId).sort()).toEqual([idle.id, soon.id].sort());
    expect(later.counts).toMatchObject({ suspend: 2 });
    expect(await accountState(db, soon.id)).toMatchObject({ status: 'active' });
  });

  it('suspends with the clause and run id, revokes sessions at once, and is idempotent', async () => {
    const { org } = await makeOrganization(db);
    await withPolicy(db, org.id);
    const idle = await dormantAccount(db, org.id, { lastActivityAt: ago(91) });
    await addSession(db, org.id, idle.id);
    const runId = '00000000-0000-4000-8000-0000000000d1';
    const run = await sweep(db, org.id, { runId });
    expect(run.counts).toMatchObject({ suspend: 1, sessionsRevoked: 1 });
    const state = await accountState(db, idle.id);
    expect(state).toMatchObject({ status: 'suspended', live_sessions: 0 });
    expect(new Date(state.dormancy_suspended_at!)).toEqual(NOW);
    const [event] = await eventsOf(db, org.id, 'account.suspended');
    expect(event).toMatchObject({ target_id: idle.id, actor_type: 'system', data: { runId, job: 'dormancy', sessionsRevoked: 1, clause: expect.stringContaining('no activity for 91 days') } });
    const again = await sweep(db, org.id);
    expect(again.counts).toMatchObject({ suspend: 0, warn: 0, deprovision: 0 });
    expect(await eventsOf(db, org.id, 'account.suspended')).toHaveLength(1);
  });

  it('never acts on exempt accounts or holders of an exempt role in force; an expired exempt grant does not exempt', async () => {
    const { org } = await makeOrganization(db);
    await upsertRole(db, { organizationId: org.id, key: 'break-glass', name: 'Break glass' });
    await withPolicy(db, org.id, { exemptRoleKeys: ['break-glass'] });
    const [flagged, holder, lapsed, plain] = await Promise.all([
      dormantAccount(db, org.id, { lastActivityAt: ago(200), exempt: true }),
      dormantAccount(db, org.id, { lastActivityAt: ago(200) }),
      dormantAccount(db, org.id, { lastActivityAt: ago(200) }),
      dormantAccount(db, org.id, { lastActivityAt: ago(200) }),
    ]);
    for (const account of [holder, lapsed]) {
      await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: account.id, roleKey: 'break-glass', expiresAt: new Date(Date.now() + 365 * DAY) }, ctx));
    }
    await db.execute(sql`update role_assignments set expires_at = ${ago(1).toISOString()}::timestamptz where account_id = ${lapsed.id}::uuid`);
    const run = await sweep(db, org.id);
    expect(run.counts).toMatchObject({ suspend: 2 });
    expect((await accountState(db, flagged.id)).status).toBe('active');
    expect((await accountState(db, holder.id)).status).toBe('active');
    expect((await accountState(db, lapsed.id)).status).toBe('suspended');
    expect((await accountState(db, plain.id)).status).toBe('suspended');
  });

  it('warns first, then suspends once the warning is old enough; activity after the warning cancels the clock', async () => {
    const { org } = await makeOrganization(db);
    await withPolicy(db, org.id, { warnBeforeDays: 7 });
    const quiet = await dormantAccount(db, org.id, { lastActivityAt: ago(120) });
    const returning = await dormantAccount(db, org.id, { lastActivityAt: ago(84) });
    const first = await sweep(db, org.id);
    expect(first.counts).toMatchObject({ warn: 2, suspend: 0 });
    expect(sent.map((n) => n.accountId).sort()).toEqual([quiet.id, returning.id].sort());
    expect(sent[0]!.message).toContain('will be suspended');
    expect(await eventsOf(db, org.id, 'dormancy.warned')).toHaveLength(2);
    expect((await sweep(db, org.id)).counts).toMatchObject({ warn: 0, suspend: 0 });

    await db.execute(sql`update accounts set last_activity_at = ${new Date(NOW.getTime() + 2 * DAY).toISOString()}::timestamptz where id = ${returning.id}::uuid`);
    const week = await sweep(db, org.id, { now: new Date(NOW.getTime() + 7 * DAY) });
    expect(week.counts).toMatchObject({ suspend: 1, warn: 0, warningsCancelled: 1 });
    expect((await accountState(db, quiet.id)).status).toBe('suspended');
    expect(await accountState(db, returning.id)).toMatchObject({ status: 'active', dormancy_warned_at: null });
    expect(await eventsOf(db, org.id, 'dormancy.warning_cancelled')).toEqual([expect.objectContaining({ target_id: returning.id })]);
  });

  it('deprovisions K days after a dormancy suspension; an admin restore lifts the finding and restarts the clock', async () => {
    const { org } = await makeOrganization(db);
    await withPolicy(db, org.id);
    const gone = await dormantAccount(db, org.id, { status: 'suspended', lastActivityAt: ago(150), suspendedAt: ago(30) });
    const back = await dormantAccount(db, org.id, { status: 'suspended', lastActivityAt: ago(150), suspendedAt: ago(10) });
    await upsertRole(db, { organizationId: org.id, key: 'member', name: 'Member' });
    await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: gone.id, roleKey: 'member' }, ctx));
    await asAdmin(db, async (tx, ctx) => {
      const group = await createGroup(tx, { organizationId: org.id, displayName: 'Engineering', externalId: null }, ctx);
      await changeGroupMembers(tx, { group, add: [gone.id], remove: [], connection: null, door: 'scim' }, ctx);
    });
    // The job definition itself, with a made-up run id (the engine records job_runs).
    const runId = '00000000-0000-4000-8000-0000000000d2';
    const run = await dormancyJob.run({ db, organizationId: org.id, now: NOW, dryRun: false, runId, actor: { type: 'system', id: 'dormancy' }, confirmed: null });
    expect(run.counts).toMatchObject({ deprovision: 1 });
    expect((await accountState(db, gone.id)).status).toBe('deprovisioned');
    expect(await eventsOf(db, org.id, 'account.deprovisioned')).toEqual([expect.objectContaining({ target_id: gone.id, data: expect.objectContaining({ runId, clause: expect.stringContaining('deprovision after 30') }) })]);
    expect(await eventsOf(db, org.id, 'role.revoked')).toEqual([expect.objectContaining({ target_id: gone.id, data: expect.objectContaining({ runId }) })]);
    // Leaving its groups is part of the same run.
    expect(await eventsOf(db, org.id, 'group.member_removed')).toEqual([expect.objectContaining({ data: { accountId: gone.id, reason: 'deprovisioned', runId } })]);
    await asAdmin(db, (tx, ctx) => restoreAccount(tx, { organizationId: org.id, accountId: back.id }, ctx), NOW);
    expect(await accountState(db, back.id)).toMatchObject({ status: 'active', dormancy_suspended_at: null });
    expect(new Date((await accountState(db, back.id)).last_activity_at!)).toEqual(NOW);
    expect((await sweep(db, org.id, { now: new Date(NOW.getTime() + DAY) })).counts).toMatchObject({ suspend: 0, deprovision: 0 });
  });
});
