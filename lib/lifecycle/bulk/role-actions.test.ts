import { afterAll, describe, expect, it } from 'vitest';
import { findAccountRoles, hasRole } from '@/db/queries/roles';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { runBulkAction } from './run-bulk-action';
import { eventsOf, makeBulkCast, snapshot } from './testing/fixtures';

const db = testDb();
afterAll(closeTestDb);
const DAY = 86_400_000;

describe('bulk grant and revoke of a role', () => {
  it('grants through the access gate, until a date, audited with the run id; again: unchanged; a later date: extended', async () => {
    const cast = await makeBulkCast(db);
    const { active, suspended, pending, manual, deprovisioned } = cast.accounts;
    const now = new Date();
    const until = new Date(now.getTime() + 30 * DAY);
    const input = { organizationId: cast.org.id, action: 'grant_role' as const, roleKey: 'auditor', expiresAt: until, accountIds: [active.id, suspended.id, pending.id, manual.id, deprovisioned.id], reason: 'Q3 audit', dryRun: false };
    const report = await runBulkAction(db, input, { actor: cast.actor, now });
    // A suspended account or one waiting for approval may hold roles; `manual` holds auditor for good: a time-bound grant does not shorten it.
    expect(report).toMatchObject({ changed: 3, unchanged: 1, byOutcome: { granted: 3, already_granted: 1, deprovisioned: 1 } });
    expect(report.refused).toEqual([expect.objectContaining({ accountId: deprovisioned.id, code: 'deprovisioned' })]);
    expect(await findAccountRoles(db, cast.org.id, active.id)).toEqual([expect.objectContaining({ key: 'auditor', source: 'manual', expiresAt: until })]);
    const granted = (await eventsOf(db, cast.org.id, 'role.granted')).filter((e) => e.data?.runId === report.runId);
    expect(granted.map((e) => e.targetId).sort()).toEqual([active.id, suspended.id, pending.id].sort());
    expect(granted[0]).toMatchObject({ actorId: cast.admin.id, data: { roleKey: 'auditor', source: 'manual', expiresAt: until.toISOString(), reason: 'Q3 audit', runId: report.runId } });

    expect(await runBulkAction(db, input, { actor: cast.actor, now })).toMatchObject({ changed: 0, unchanged: 4 });
    const later = new Date(now.getTime() + 60 * DAY);
    const extended = await runBulkAction(db, { ...input, expiresAt: later }, { actor: cast.actor, now });
    expect(extended.byOutcome).toMatchObject({ extended: 3, already_granted: 1 });
    const [changedEvent] = (await eventsOf(db, cast.org.id, 'role.expiry_changed')).filter((e) => e.data?.runId === extended.runId);
    expect(changedEvent?.data).toMatchObject({ expiresAt: later.toISOString(), previousExpiresAt: until.toISOString() });
  });

  it('revokes grants made by hand; a role held only through a rule is refused with the reason; not held: unchanged', async () => {
    const cast = await makeBulkCast(db);
    const { manual, rule, both, active, pending, deprovisioned } = cast.accounts;
    const revoke = (roleKey: string, accountIds: string[]) =>
      runBulkAction(db, { organizationId: cast.org.id, action: 'revoke_role', roleKey, accountIds, reason: 'audit over', dryRun: false }, { actor: cast.actor, now: new Date() });

    // Taking a role away is never refused for the account's status.
    const auditor = await revoke('auditor', [manual.id, both.id, active.id, pending.id, deprovisioned.id]);
    expect(auditor).toMatchObject({ changed: 2, unchanged: 3, refused: [], byOutcome: { revoked: 2, not_held: 3 } });
    expect(await hasRole(db, cast.org.id, manual.id, 'auditor')).toBe(false);
    const revoked = (await eventsOf(db, cast.org.id, 'role.revoked')).filter((e) => e.data?.runId === auditor.runId);
    expect(revoked).toHaveLength(2);
    expect(revoked[0]?.data).toMatchObject({ roleKey: 'auditor', source: 'manual', reason: 'audit over' });

    const everyone = await revoke('everyone', [rule.id, both.id]);
    expect(everyone.byOutcome).toEqual({ held_through_rule: 2 });
    expect(everyone.refused[0]?.reason).toMatch(/not granted by hand; it is held through birthright \(rule:/);
    expect(await hasRole(db, cast.org.id, rule.id, 'everyone')).toBe(true);
  });

  it('reports a role kept through a rule after the manual grant is revoked', async () => {
    const cast = await makeBulkCast(db);
    const { both } = cast.accounts;
    await runBulkAction(db, { organizationId: cast.org.id, action: 'grant_role', roleKey: 'everyone', accountIds: [both.id], dryRun: false }, { actor: cast.actor, now: new Date() });
    const report = await runBulkAction(db, { organizationId: cast.org.id, action: 'revoke_role', roleKey: 'everyone', accountIds: [both.id], dryRun: false }, { actor: cast.actor, now: new Date() });
    expect(report.byOutcome).toEqual({ revoked_still_held: 1 });
    expect(await hasRole(db, cast.org.id, both.id, 'everyone')).toBe(true);
  });

  it('does not revoke the acting admin’s own roles', async () => {
    const cast = await makeBulkCast(db);
    const report = await runBulkAction(db, { organizationId: cast.org.id, action: 'revoke_role', roleKey: 'admin', accountIds: [cast.admin.id], dryRun: false }, { actor: cast.actor, now: new Date() });
    expect(report.refused).toEqual([{ accountId: cast.admin.id, code: 'own_account', reason: 'You cannot revoke your own roles in a bulk action.' }]);
    expect(await hasRole(db, cast.org.id, cast.admin.id, 'admin')).toBe(true);
  });

  it('refuses the whole run, writing nothing, for an unknown role, a past expiry, or parameters that do not fit the action', async () => {
    const cast = await makeBulkCast(db);
    const before = await snapshot(db, [cast.org.id]);
    const base = { organizationId: cast.org.id, accountIds: [cast.accounts.active.id], dryRun: false };
    const who = { actor: cast.actor, now: new Date() };
    await expect(runBulkAction(db, { ...base, action: 'grant_role', roleKey: 'nope' }, who)).rejects.toMatchObject({ code: 'not_found', message: 'No role "nope" in this organization.' });
    await expect(runBulkAction(db, { ...base, action: 'grant_role', roleKey: 'auditor', expiresAt: new Date(who.now.getTime() - 1) }, who)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(runBulkAction(db, { ...base, action: 'revoke_role' }, who)).rejects.toMatchObject({ code: 'invalid_input', message: 'Choose a role.' });
    await expect(runBulkAction(db, { ...base, action: 'suspend', roleKey: 'auditor' }, who)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(runBulkAction(db, { ...base, action: 'revoke_role', roleKey: 'auditor', expiresAt: new Date(who.now.getTime() + DAY) }, who)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(runBulkAction(db, { ...base, accountIds: [], action: 'suspend' }, who)).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await snapshot(db, [cast.org.id])).toEqual(before);
  });
});
