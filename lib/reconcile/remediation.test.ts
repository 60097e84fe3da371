import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { getReconcileRun } from '@/db/queries/reconcile-runs';
import { openScimDirectorySource } from '@/lib/sources/scim-directory';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { resolveReview } from './review';
import { admin, addSession, eventsOf, findingsOf, makeSource, reconcile, statusOf } from './testing/fixtures';

const db = testDb();
afterAll(closeTestDb);

const mapping = { columns: { 'Employee ID': 'employeeNumber', Status: 'status', Department: 'department', 'Cost centre': 'extra.costCentre' }, statuses: { active: 'active', terminated: 'inactive' } } as const;
const row = (n: string, extra: Record<string, unknown> = {}) => ({ employeeNumber: n, active: true, profile: { department: 'Sales' }, extraAttributes: { costCentre: 'CC1' }, ...extra });

describe('reconciliation: remediation, each kind audited with the run and the finding', () => {
  it('suspends orphans (sessions end), deprovisions stale accounts, updates drift (door hr) and opens reviews', async () => {
    const { org } = await makeOrganization(db);
    const make = (n: string, department = 'Sales') => makeAccount(db, org.id, { profile: { employeeNumber: n, department }, door: 'jit' });
    const [ok, orphan, stale, drifted, conflictA] = [await make('E1'), await make('E2'), await make('E3'), await make('E4', 'Marketing'), await make('E5')];
    await db.execute(sql`update accounts set extra_attributes = '{"costCentre":"CC1"}' where organization_id = ${org.id}::uuid`);
    await make('E5');
    await addSession(db, org.id, orphan.id);
    const source = await makeSource(db, org.id, { mapping, remediation: { orphan: 'suspend', stale: 'deprovision', drift: 'update', conflict: 'review' } });
    const run = await reconcile(db, source, [row('E1'), row('E3', { active: false }), row('E4'), row('E5')]);
    expect(run).toMatchObject({ outcome: 'completed', counts: { matched: 1, orphan: 1, stale: 1, drift: 1, conflict: 1, missing: 0 } });
    expect(run.actions).toEqual({ deprovision: 1, suspend: 1, update: 1, review: 1, sessionsRevoked: 1 });
    expect(await statusOf(db, ok.id)).toMatchObject({ status: 'active' });
    expect(await statusOf(db, orphan.id)).toMatchObject({ status: 'suspended', live_sessions: 0 });
    expect(await statusOf(db, stale.id)).toMatchObject({ status: 'deprovisioned' });
    expect(await statusOf(db, drifted.id)).toMatchObject({ status: 'active', department: 'Sales' });

    const findings = await findingsOf(db, run.runId);
    const of = (category: string) => findings.find((f) => f.category === category)!;
    const tag = (category: string) => ({ runId: run.runId, job: 'reconcile', findingId: of(category).id, category });
    expect(await eventsOf(db, org.id, 'account.suspended')).toEqual([expect.objectContaining({ target_id: orphan.id, data: expect.objectContaining({ ...tag('orphan'), sessionsRevoked: 1, clause: expect.stringMatching(/^orphan: active here, no record in HR /) }) })]);
    expect(await eventsOf(db, org.id, 'account.deprovisioned')).toEqual([expect.objectContaining({ target_id: stale.id, data: expect.objectContaining({ ...tag('stale'), clause: expect.stringMatching(/^stale: inactive in HR /) }) })]);
    const updated = (await eventsOf(db, org.id, 'account.updated')).filter((e) => e.data.job === 'reconcile');
    expect(updated).toEqual([expect.objectContaining({ target_id: drifted.id, before: { department: 'Marketing' }, after: { department: 'Sales' }, data: expect.objectContaining({ ...tag('drift'), via: 'hr' }) })]);
    const [account] = await db.execute<{ field_owners: Record<string, string> }>(sql`select field_owners from accounts where id = ${drifted.id}::uuid`);
    expect(account!.field_owners.department).toBe('hr');
    expect(findings.filter((f) => f.action !== 'report').map((f) => [f.category, f.action, f.action_outcome])).toEqual(
      expect.arrayContaining([['orphan', 'suspend', 'applied'], ['stale', 'deprovision', 'applied'], ['drift', 'update', 'applied'], ['conflict', 'review', 'applied']]),
    );
    expect(of('conflict').review_state).toBe('open');
    expect(await eventsOf(db, org.id, 'reconcile.run_finished')).toEqual([expect.objectContaining({ target_id: run.runId, data: expect.objectContaining({ outcome: 'completed', counts: run.counts, actions: run.actions }) })]);

    // an admin resolves the review item, audited; once
    const resolved = await resolveReview(db, { organizationId: org.id, findingId: of('conflict').id, resolution: 'dismissed', note: 'two people, one number: HR fixes it', actor: admin });
    expect(resolved).toMatchObject({ reviewState: 'dismissed', category: 'conflict' });
    await expect(resolveReview(db, { organizationId: org.id, findingId: of('conflict').id, resolution: 'resolved', note: null, actor: admin })).rejects.toThrow(/only an open review/);
    const { org: other } = await makeOrganization(db);
    await expect(resolveReview(db, { organizationId: other.id, findingId: of('orphan').id, resolution: 'resolved', note: null, actor: admin })).rejects.toThrow(/no finding/);
    expect(await eventsOf(db, org.id, 'reconcile.review_resolved')).toEqual([expect.objectContaining({ data: expect.objectContaining({ findingId: of('conflict').id, resolution: 'dismissed' }) })]);
    void conflictA;
  });

  it('a rerun says what is new and what was resolved since the previous run of the source', async () => {
    const { org } = await makeOrganization(db);
    const a = await makeAccount(db, org.id, { profile: { employeeNumber: 'E1', department: 'Sales' } });
    const b = await makeAccount(db, org.id, { profile: { employeeNumber: 'E2', department: 'Sales' } });
    const c = await makeAccount(db, org.id, { profile: { employeeNumber: 'E3', department: 'Sales' } });
    await db.execute(sql`update accounts set extra_attributes = '{"costCentre":"CC1"}' where organization_id = ${org.id}::uuid`);
    const source = await makeSource(db, org.id, { mapping });
    const first = await reconcile(db, source, [row('E1'), row('E2', { profile: { department: 'Ops' } })]);
    expect(first).toMatchObject({ counts: expect.objectContaining({ orphan: 1, drift: 1 }), newCount: 2, resolvedCount: 0, previousRunId: null });
    // HR fixes E2's department here; E3 appears in the file; E1 leaves
    await db.execute(sql`update accounts set department = 'Ops' where id = ${b.id}::uuid`);
    const second = await reconcile(db, source, [row('E1', { active: false }), row('E2', { profile: { department: 'Ops' } }), row('E3'), row('E9')]);
    expect(second).toMatchObject({ counts: expect.objectContaining({ stale: 1, missing: 1, orphan: 0, drift: 0 }), previousRunId: first.runId, newCount: 2, resolvedCount: 2 });
    const findings = await findingsOf(db, second.runId);
    expect(findings.map((f) => [f.category, f.account_id, f.is_new])).toEqual([
      ['stale', a.id, true],
      ['missing', null, true],
    ]);
    const third = await reconcile(db, source, [row('E1', { active: false }), row('E2', { profile: { department: 'Ops' } }), row('E3'), row('E9')]);
    expect(third).toMatchObject({ newCount: 0, resolvedCount: 0, previousRunId: second.runId });
    // a dry run is never the baseline
    const dry = await reconcile(db, source, [row('E2', { profile: { department: 'Ops' } }), row('E3')], { dryRun: true });
    const fourth = await reconcile(db, source, [row('E1', { active: false }), row('E2', { profile: { department: 'Ops' } }), row('E3'), row('E9')]);
    expect(fourth.previousRunId).toBe(third.runId);
    expect((await getReconcileRun(db, org.id, dry.runId))!.dryRun).toBe(true);
    void c;
  });
});

describe('reconciliation: the SCIM directory as the source', () => {
  it('an active account the IdP never pushed, or whose person it deactivated or deleted, is an orphan', async () => {
    const { org } = await makeOrganization(db);
    const pushed = await makeAccount(db, org.id, { door: 'scim', externalId: 'idp-1' });
    const pushedNoKeys = await makeAccount(db, org.id, { door: 'scim', userName: 'nokeys' });
    const jit = await makeAccount(db, org.id, { door: 'jit' });
    const deactivated = await makeAccount(db, org.id, { door: 'scim', externalId: 'idp-3' });
    const deleted = await makeAccount(db, org.id, { door: 'scim', externalId: 'idp-4' });
    // the IdP said active=false and an admin restored the account; the IdP deleted another (deprovisioned)
    await db.execute(sql`update accounts set scim_active = false where id = ${deactivated.id}::uuid`);
    await db.execute(sql`update accounts set status = 'deprovisioned' where id = ${deleted.id}::uuid`);
    await db.execute(sql`update accounts set scim_managed_at = now() where id in (${pushed.id}::uuid, ${pushedNoKeys.id}::uuid, ${deactivated.id}::uuid, ${deleted.id}::uuid)`);
    const source = await makeSource(db, org.id, { kind: 'scim', mapping: undefined, name: 'Entra ID' });
    const run = await reconcile(db, source, openScimDirectorySource(db, org.id));
    expect(run).toMatchObject({ outcome: 'completed', rowCount: 2, counts: { matched: 2, orphan: 2, drift: 0, stale: 0, missing: 0, conflict: 0 } });
    const orphans = (await findingsOf(db, run.runId)).filter((f) => f.category === 'orphan');
    expect(orphans.map((f) => [f.account_id, (f.details as { scimManaged: boolean }).scimManaged]).sort()).toEqual(
      [
        [jit.id, false],
        [deactivated.id, true],
      ].sort(),
    );
    // another organization's directory is not this one's
    const { org: other } = await makeOrganization(db);
    const theirs = await makeSource(db, other.id, { kind: 'scim', mapping: undefined, name: 'Entra ID' });
    expect((await reconcile(db, theirs, openScimDirectorySource(db, other.id))).counts).toMatchObject({ matched: 0, orphan: 0 });
  });
});
