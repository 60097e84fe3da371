import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { getReconcileRun, insertReconcileRun } from '@/db/queries/reconcile-runs';
import { insertReconcileFindings } from '@/db/queries/reconcile-diff';
import { countStagedRecords, deleteStagedRecords } from '@/db/queries/reconcile-staging';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import type { DuplicateCandidates } from './duplicate-keys';
import { matchKeysOf, remediationOf, spokenFields } from './policy';
import { stageRecords } from './stage';
import { memorySource } from './testing/memory-source';
import { addSession, eventsOf, findingsOf, makeSource, NOW, reconcile, stagedRowsOf, statusOf } from './testing/fixtures';

const db = testDb();
afterAll(closeTestDb);

/** An organization with `n` accounts E1..En and a source that suspends orphans and stale accounts. */
async function tenant(n: number, source: Parameters<typeof makeSource>[2] = {}) {
  const { org } = await makeOrganization(db);
  const accounts = [];
  for (let i = 1; i <= n; i++) accounts.push(await makeAccount(db, org.id, { profile: { employeeNumber: `E${i}` } }));
  const mapping = { columns: { 'Employee ID': 'employeeNumber', Status: 'status', Department: 'department', Title: 'title' }, statuses: { active: 'active', terminated: 'inactive' } } as const;
  const src = await makeSource(db, org.id, { remediation: { orphan: 'suspend', stale: 'suspend' }, mapping, ...source });
  const rows = (ids: number[]) => ids.map((i) => ({ employeeNumber: `E${i}`, active: true, profile: { department: null, title: null } }));
  return { org, accounts, source: src, rows };
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('reconciliation: sanity checks before any action', () => {
  it('bad rows halt the run with their lines: nobody is suspended, not even by a confirmation', async () => {
    const { org, accounts, source, rows } = await tenant(4);
    const run = await reconcile(db, source, [...rows([1, 2]), { bad: 'unterminated quote', line: 4 }, { bad: 'expected 6 fields, got 2', line: 5 }]);
    expect(run).toMatchObject({ outcome: 'halted', halted: true, confirmable: false, rowCount: 2, badRowCount: 2, badRows: [{ line: 4, reason: 'unterminated quote' }, { line: 5, reason: 'expected 6 fields, got 2' }] });
    expect(run.haltReason).toMatch(/2 bad rows \(lines 4, 5\): nobody is suspended or deprovisioned/);
    expect(run.counts).toMatchObject({ matched: 2, orphan: 2 });
    expect((await statusOf(db, accounts[3]!.id)).status).toBe('active');
    expect(await eventsOf(db, org.id, 'account.suspended')).toHaveLength(0);
    await expect(reconcile(db, source, rows([1, 2]), { confirmRunId: run.runId })).rejects.toThrow(/cannot be confirmed: 2 bad rows/);
    expect(await eventsOf(db, org.id, 'admin.action_refused')).toEqual([
      expect.objectContaining({ target_id: run.runId, data: { action: 'reconcile.run_confirm', reason: expect.stringMatching(/cannot be confirmed: 2 bad rows/) } }),
    ]);
    expect(await getReconcileRun(db, org.id, run.runId)).toMatchObject({ outcome: 'halted', confirmedAt: null, badRows: run.badRows });
  });

  it('duplicate keys in the file halt the run', async () => {
    const { accounts, source, rows } = await tenant(3);
    const run = await reconcile(db, source, [...rows([1, 2]), { employeeNumber: 'E2', active: false }]);
    expect(run).toMatchObject({ outcome: 'halted', confirmable: false });
    expect(run.haltReason).toContain('1 duplicate key in the file (employeeNumber E2 on lines 3, 4)');
    expect((await statusOf(db, accounts[2]!.id)).status).toBe('active');
  });

  it('duplicate keys are found whatever their text, through the candidates and through the full count alike', async () => {
    const { org, source } = await tenant(0);
    const odd = 'E "7",\nx\\y';
    const spec = [odd, 'E8', odd, 'E9', 'E8'].map((employeeNumber) => ({ employeeNumber, active: true }));
    const run = await reconcile(db, source, spec);
    expect(run.haltReason).toContain(`2 duplicate keys in the file (employeeNumber ${odd} on lines 2, 4; employeeNumber E8 on lines 3, 6)`);
    // The same staged rows, the SQL told every row must be counted (a key past the finder's limits) or that no value repeats.
    const scratch = await insertReconcileRun(db, { organizationId: org.id, sourceId: source.id, dryRun: true, trigger: 'cli', startedBy: 'test', asOf: NOW, jobRunId: null, confirmsRunId: null, filePath: null });
    const staged = await stageRecords(db, scratch.id, memorySource(spec), matchKeysOf(source));
    expect(staged.duplicateCandidates).toEqual({ employeeNumber: [odd, 'E8'] });
    const diff = (duplicateCandidates: DuplicateCandidates) =>
      insertReconcileFindings(db, { runId: scratch.id, keys: matchKeysOf(source), organizationId: org.id, asOfDate: '2026-12-01', spoken: spokenFields(source.mapping), actions: remediationOf({}), previousRunId: null, duplicateCandidates });
    expect((await diff({ employeeNumber: null })).duplicates).toEqual({ total: 2, first: [{ key: 'employeeNumber', value: odd, lines: [2, 4] }, { key: 'employeeNumber', value: 'E8', lines: [3, 6] }] });
    expect((await diff({ employeeNumber: [] })).duplicates).toEqual({ total: 0, first: [] });
    await deleteStagedRecords(db, scratch.id);
  });

  it('a row count that dropped more than the set share halts; an admin may confirm it', async () => {
    const { org, accounts, source, rows } = await tenant(10, { maxRowDropPercent: 20 });
    const first = await reconcile(db, source, rows(range(1, 10)));
    expect(first).toMatchObject({ outcome: 'completed', counts: expect.objectContaining({ matched: 10 }) });
    const truncated = await reconcile(db, source, rows(range(1, 7)));
    expect(truncated).toMatchObject({ outcome: 'halted', confirmable: true, actions: { suspend: 3 } });
    expect(truncated.haltReason).toBe('the file has 7 rows, 30.0% fewer than the 10 of the last completed run (the limit is 20%)');
    expect((await statusOf(db, accounts[9]!.id)).status).toBe('active');
    // 20% exactly passes
    const confirmed = await reconcile(db, source, rows(range(1, 7)), { confirmRunId: truncated.runId });
    expect(confirmed).toMatchObject({ outcome: 'completed', confirmsRunId: truncated.runId, actions: { suspend: 3 } });
    expect(await eventsOf(db, org.id, 'reconcile.run_confirmed')).toEqual([expect.objectContaining({ target_id: truncated.runId, data: expect.objectContaining({ runId: confirmed.runId, confirmedChanges: 3 }) })]);
    const again = await reconcile(db, source, rows(range(1, 6)));
    expect(again.haltReason).toBeNull(); // 7 -> 6 is 14%: under the limit (the baseline is the last completed run)
  });

  it('a header the reader refuses fails the run, recorded and audited; nothing is staged or touched', async () => {
    const { org, accounts, source } = await tenant(2);
    const error = new Error('the header has no column Employee ID (mapped to employeeNumber)');
    const run = await reconcile(db, source, memorySource([], { throwAfter: { items: 0, error } }));
    expect(run).toMatchObject({ outcome: 'failed', failureReason: error.message, halted: false, counts: {} });
    expect(await stagedRowsOf(db, run.runId)).toBe(0);
    expect(await findingsOf(db, run.runId)).toEqual([]);
    expect((await statusOf(db, accounts[0]!.id)).status).toBe('active');
    expect(await eventsOf(db, org.id, 'reconcile.run_finished')).toEqual([expect.objectContaining({ target_id: run.runId, data: expect.objectContaining({ outcome: 'failed', failureReason: error.message }) })]);
  });

  it('a source that breaks midway (a truncated file) fails the run and deactivates nobody', async () => {
    const { accounts, source, rows } = await tenant(5);
    const run = await reconcile(db, source, memorySource(rows([1, 2]), { throwAfter: { items: 2, error: new Error('unexpected end of file inside a quoted field') } }));
    expect(run).toMatchObject({ outcome: 'failed', failureReason: 'unexpected end of file inside a quoted field' });
    expect(await stagedRowsOf(db, run.runId)).toBe(0);
    for (const a of accounts) expect((await statusOf(db, a.id)).status).toBe('active');
  });
});

describe('reconciliation: staging', () => {
  it('a run that died leaves its staging table; the next run drops it (and only such tables)', async () => {
    const { org, source, rows } = await tenant(2);
    const dead = await insertReconcileRun(db, { organizationId: org.id, sourceId: source.id, dryRun: false, trigger: 'cli', startedBy: 'test', asOf: new Date(), jobRunId: null, confirmsRunId: null, filePath: null });
    await stageRecords(db, dead.id, memorySource(rows([1, 2])));
    expect(await countStagedRecords(db, dead.id)).toBe(2);
    await db.execute(sql`update reconcile_runs set outcome = 'failed' where id = ${dead.id}::uuid`);
    const next = await reconcile(db, source, rows([1, 2]));
    expect(next.outcome).toBe('completed');
    expect(await countStagedRecords(db, dead.id)).toBeNull();
    expect(await countStagedRecords(db, next.runId)).toBeNull();
    const [template] = await db.execute<{ t: string | null }>(sql`select to_regclass('reconcile_staged_records')::text as t`);
    expect(template!.t).toBe('reconcile_staged_records');
  });

  it('one run of a source at a time', async () => {
    const { org, source, rows } = await tenant(1);
    await insertReconcileRun(db, { organizationId: org.id, sourceId: source.id, dryRun: false, trigger: 'cli', startedBy: 'test', asOf: new Date(), jobRunId: null, confirmsRunId: null, filePath: null });
    await expect(reconcile(db, source, rows([1]))).rejects.toThrow(/a run of .* is in progress/);
  });
});

describe('reconciliation: dry run, breaker, confirmation', () => {
  it('a dry run finds exactly what the real run then does, and changes nothing', async () => {
    const { org, accounts, source, rows } = await tenant(10);
    await addSession(db, org.id, accounts[9]!.id);
    const dry = await reconcile(db, source, rows(range(1, 9)), { dryRun: true });
    expect(dry).toMatchObject({ outcome: 'completed', dryRun: true, actions: { suspend: 1 } });
    expect(await statusOf(db, accounts[9]!.id)).toMatchObject({ status: 'active', live_sessions: 1 });
    expect(await eventsOf(db, org.id, 'account.suspended')).toHaveLength(0);
    const real = await reconcile(db, source, rows(range(1, 9)));
    expect(real.counts).toEqual(dry.counts);
    const strip = (f: Awaited<ReturnType<typeof findingsOf>>) => f.map(({ category, account_id, source_key, line, action, details }) => ({ category, account_id, source_key, line, action, details: { ...details, skipped: undefined } }));
    expect(strip(await findingsOf(db, real.runId))).toEqual(strip(await findingsOf(db, dry.runId)));
    expect(real.actions).toMatchObject({ suspend: 1, sessionsRevoked: 1 });
    expect(await statusOf(db, accounts[9]!.id)).toMatchObject({ status: 'suspended', live_sessions: 0 });
  });

  it('the circuit breaker halts a run that would suspend too many; a confirmed run proceeds up to what was confirmed', async () => {
    const { org, accounts, source, rows } = await tenant(10, { maxSharePercent: 20 });
    const halted = await reconcile(db, source, rows(range(1, 7)));
    expect(halted).toMatchObject({ outcome: 'halted', confirmable: true, actions: { suspend: 3 } });
    expect(halted.haltReason).toBe('the run would suspend or deprovision 3 of 10 active accounts (30.0%), over the limit of 20%');
    expect(await eventsOf(db, org.id, 'account.suspended')).toHaveLength(0);
    await expect(reconcile(db, source, rows(range(1, 7)), { dryRun: true, confirmRunId: halted.runId })).rejects.toThrow(/not a dry run/);
    // a plan that grew since the confirmation halts again, and the confirmation is spent
    const grown = await reconcile(db, source, rows(range(1, 6)), { confirmRunId: halted.runId });
    expect(grown).toMatchObject({ outcome: 'halted', confirmsRunId: halted.runId });
    expect(grown.haltReason).toBe('the run would change 4 accounts, more than the 3 an admin confirmed');
    await expect(reconcile(db, source, rows(range(1, 7)), { confirmRunId: halted.runId })).rejects.toThrow(/already confirmed/);
    const halted2 = await reconcile(db, source, rows(range(1, 7)));
    const done = await reconcile(db, source, rows(range(1, 7)), { confirmRunId: halted2.runId });
    expect(done).toMatchObject({ outcome: 'completed', actions: { suspend: 3 } });
    expect((await eventsOf(db, org.id, 'account.suspended')).map((e) => e.target_id).sort()).toEqual(accounts.slice(7).map((a) => a.id).sort());
  });
});

describe('reconciliation: a source is valid or refused', () => {
  it.each([
    [{ orphan: 'update' }, /orphan can be report, suspend, deprovision, review/],
    [{ drift: 'suspend' }, /drift can be report, update, review/],
    [{ missing: 'deprovision' }, /missing can be report, review/],
  ])('refuses a remediation the category does not allow (%j), whoever calls', async (remediation, message) => {
    const { org } = await makeOrganization(db);
    await expect(makeSource(db, org.id, { remediation: remediation as never })).rejects.toThrow(message);
  });
});
