import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { getAccountById } from '@/db/queries/accounts';
import { findOpenSessions } from '@/db/queries/sessions';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { runBulkAction } from './run-bulk-action';
import { eventsOf, makeBulkCast, snapshot } from './testing/fixtures';

const db = testDb();
afterAll(closeTestDb);
const now = () => new Date();

describe('bulk suspend and restore', () => {
  it('suspends through setAccountStatus (sessions revoked, audited with the run id), and reports every account', async () => {
    const cast = await makeBulkCast(db);
    const { active, suspended, deprovisioned, pending } = cast.accounts;
    const malformed = 'not-an-id';
    const accountIds = [cast.signedIn.id, active.id, active.id, suspended.id, deprovisioned.id, pending.id, cast.admin.id, cast.stranger.id, malformed];
    const report = await runBulkAction(db, { organizationId: cast.org.id, action: 'suspend', accountIds, reason: 'offboarding wave', dryRun: false }, { actor: cast.actor, now: now() });

    expect(report).toMatchObject({ dryRun: false, action: 'suspend', requested: 8, changed: 2, unchanged: 1, byOutcome: { suspended: 2, already_suspended: 1, deprovisioned: 1, pending_approval: 1, own_account: 1, not_in_organization: 2 } });
    expect(report.refused).toHaveLength(5);
    expect(report.refused).toEqual(
      expect.arrayContaining([
        { accountId: malformed, code: 'not_in_organization', reason: 'No such account in this organization.' },
        { accountId: cast.stranger.id, code: 'not_in_organization', reason: 'No such account in this organization.' },
        { accountId: cast.admin.id, code: 'own_account', reason: 'You cannot suspend your own account.' },
        expect.objectContaining({ accountId: deprovisioned.id, code: 'deprovisioned' }),
        expect.objectContaining({ accountId: pending.id, code: 'pending_approval' }),
      ]),
    );
    expect(await getAccountById(db, cast.org.id, cast.signedIn.id)).toMatchObject({ status: 'suspended' });
    expect(await findOpenSessions(db, cast.org.id, cast.signedIn.id)).toEqual([]);
    expect(await getAccountById(db, cast.org.id, cast.admin.id)).toMatchObject({ status: 'active' });
    expect(await getAccountById(db, cast.org.id, deprovisioned.id)).toMatchObject({ status: 'deprovisioned' });
    expect(await getAccountById(db, cast.org.id, pending.id)).toMatchObject({ status: 'pending_approval' });

    const suspendedEvents = (await eventsOf(db, cast.org.id, 'account.suspended')).filter((e) => e.data?.runId === report.runId);
    expect(suspendedEvents.map((e) => e.targetId).sort()).toEqual([cast.signedIn.id, active.id].sort());
    expect(suspendedEvents.find((e) => e.targetId === cast.signedIn.id)).toMatchObject({ actorType: 'admin', actorId: cast.admin.id, data: { reason: 'offboarding wave', sessionsRevoked: 1, runId: report.runId } });
    const [started] = await eventsOf(db, cast.org.id, 'bulk.started');
    const [finished] = await eventsOf(db, cast.org.id, 'bulk.finished');
    expect(started).toMatchObject({ targetType: 'bulk_run', targetId: report.runId, data: { runId: report.runId, action: 'suspend', dryRun: false, requested: 8, limit: 1000, confirmedOver: null, reason: 'offboarding wave' } });
    expect(finished).toMatchObject({ targetId: report.runId, data: { changed: 2, unchanged: 1, refused: 5, byOutcome: report.byOutcome, failed: null } });
    expect(finished!.id).toBeGreaterThan(started!.id);
  });

  it('never touches an account of another organization, even when every id given is one', async () => {
    const cast = await makeBulkCast(db);
    const before = await snapshot(db, [cast.otherOrg.id]);
    const report = await runBulkAction(db, { organizationId: cast.org.id, action: 'suspend', accountIds: [cast.stranger.id], dryRun: false }, { actor: cast.actor, now: now() });
    expect(report).toMatchObject({ requested: 1, changed: 0, unchanged: 0, refused: [{ accountId: cast.stranger.id, code: 'not_in_organization' }] });
    expect(await snapshot(db, [cast.otherOrg.id])).toEqual(before);
  });

  it('restores suspended accounts, but not one under a security hold, suspended by the directory, deprovisioned or waiting for approval', async () => {
    const cast = await makeBulkCast(db);
    const { active, suspended, held, directoryInactive, deprovisioned, pending } = cast.accounts;
    const accountIds = [active.id, suspended.id, held.id, directoryInactive.id, deprovisioned.id, pending.id];
    const report = await runBulkAction(db, { organizationId: cast.org.id, action: 'restore', accountIds, dryRun: false }, { actor: cast.actor, now: now() });
    expect(report.byOutcome).toEqual({ already_active: 1, restored: 1, security_hold: 1, directory_inactive: 1, deprovisioned: 1, pending_approval: 1 });
    expect(report.refused.find((r) => r.accountId === held.id)?.reason).toContain('stolen laptop');
    expect(await getAccountById(db, cast.org.id, suspended.id)).toMatchObject({ status: 'active', deactivatedAt: null });
    for (const account of [held, directoryInactive]) expect(await getAccountById(db, cast.org.id, account.id)).toMatchObject({ status: 'suspended' });
    expect(await getAccountById(db, cast.org.id, deprovisioned.id)).toMatchObject({ status: 'deprovisioned' });
    const [restored] = (await eventsOf(db, cast.org.id, 'account.restored')).filter((e) => e.data?.runId === report.runId);
    expect(restored).toMatchObject({ targetId: suspended.id, before: { status: 'suspended' }, after: { status: 'active' } });
  });

  it('is idempotent: the same run again changes nothing more and records no account event', async () => {
    const cast = await makeBulkCast(db);
    const input = { organizationId: cast.org.id, action: 'suspend' as const, accountIds: [cast.signedIn.id, cast.accounts.active.id, cast.stranger.id], dryRun: false };
    const first = await runBulkAction(db, input, { actor: cast.actor, now: now() });
    expect(first).toMatchObject({ changed: 2, unchanged: 0 });
    const suspendedBefore = (await eventsOf(db, cast.org.id, 'account.suspended')).length;
    const again = await runBulkAction(db, input, { actor: cast.actor, now: now() });
    expect(again).toMatchObject({ changed: 0, unchanged: 2, byOutcome: { already_suspended: 2, not_in_organization: 1 } });
    expect(await eventsOf(db, cast.org.id, 'account.suspended')).toHaveLength(suspendedBefore);
  });

  it('runs in chunks, each its own transaction, with the same report', async () => {
    const cast = await makeBulkCast(db);
    const ids = [cast.signedIn.id, cast.accounts.active.id, cast.accounts.manual.id, cast.accounts.rule.id, cast.accounts.both.id, randomUUID()];
    const report = await runBulkAction(db, { organizationId: cast.org.id, action: 'suspend', accountIds: ids, dryRun: false }, { actor: cast.actor, now: now() }, { chunkSize: 2 });
    expect(report).toMatchObject({ requested: 6, changed: 5, byOutcome: { suspended: 5, not_in_organization: 1 } });
    const events = (await eventsOf(db, cast.org.id, 'account.suspended')).filter((e) => e.data?.runId === report.runId);
    expect(new Set(events.map((e) => e.targetId))).toEqual(new Set(ids.slice(0, 5)));
  });
});
