import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { UsageError, commonOptions, type Command, type OptionValues } from '../command';
import { reconcileCommands } from './reconcile';

const db = testDb();
const made: string[] = [];
afterAll(async () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  await closeTestDb();
});

/** A command as main.ts runs it (parse, prepare, run), in process. */
async function run(name: string, args: string[]) {
  const command = reconcileCommands.find((c) => c.name === name) as Command;
  const { values } = parseArgs({ args, options: { ...commonOptions, ...command.options }, strict: true, allowPositionals: false });
  return command.prepare(values as OptionValues, [])({ db, url: '' });
}

/** An HR export on disk, as the CLI reads it (the real CSV reader). */
function csvFile(text: string) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'recon-')), 'hr.csv');
  made.push(path.dirname(file));
  writeFileSync(file, text);
  return file;
}

const launcher = path.join(import.meta.dirname, '..', 'roster.mjs');
function roster(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [launcher, ...args], { env: { ...process.env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const create = (slug: string, name: string, extra: string[] = []) =>
  run('reconcile source create', ['--org', slug, '--kind', 'csv', '--name', name, '--map', 'Employee ID=employeeNumber', '--map', 'Status=status', '--map', 'Dept=department', '--status-map', 'Terminated=inactive', '--status-map', 'Active=active', ...extra]);

describe('roster reconcile', () => {
  it('creates, lists and shows a source; a second of the same name is refused', async () => {
    const { org } = await makeOrganization(db);
    const created = await create(org.slug, 'Workday', ['--on', 'orphan=suspend', '--on', 'drift=update', '--file-path', '/srv/hr/workday.csv', '--schedule']);
    expect(created.data).toMatchObject({
      name: 'Workday',
      kind: 'csv',
      mapping: { columns: { 'Employee ID': 'employeeNumber', Status: 'status', Dept: 'department' }, statuses: { Terminated: 'inactive', Active: 'active' } },
      remediation: { orphan: 'suspend', drift: 'update', stale: 'report', missing: 'report', conflict: 'report' },
      filePath: '/srv/hr/workday.csv',
      scheduleEnabled: true,
      maxRowDropPercent: 20,
      breaker: null,
    });
    await expect(create(org.slug, 'workday')).rejects.toThrow(/already exists/);
    const list = await run('reconcile source list', ['--org', org.slug]);
    expect(list.data).toEqual([expect.objectContaining({ name: 'Workday', lastRun: null })]);
    const shown = await run('reconcile source show', ['--org', org.slug, '--name', 'Workday']);
    expect(shown.data).toMatchObject({ name: 'Workday', runs: [] });
    expect(shown.text).toContain('orphan=suspend');
  });

  it.each<[string[], RegExp]>([
    [['--kind', 'ldap', '--name', 'X', '--map', 'a=email'], /--kind must be one of: csv, scim/],
    [['--kind', 'csv', '--name', 'X'], /needs its columns/],
    [['--kind', 'csv', '--name', 'X', '--map', 'Dept=department'], /no key column/],
    [['--kind', 'csv', '--name', 'X', '--map', 'Mail=emial'], /'emial' is not a field/],
    [['--kind', 'csv', '--name', 'X', '--map', 'Mail=email', '--date-format', 'YY/MM'], /date format 'YY\/MM' is not one of/],
    [['--kind', 'csv', '--name', 'X', '--map', 'Mail=email', '--status-map', 'Gone=left'], /'left' must be active or inactive/],
    [['--kind', 'csv', '--name', 'X', '--map', 'Mail=email', '--on', 'orphan=update'], /orphan can be report, suspend, deprovision, review/],
    [['--kind', 'csv', '--name', 'X', '--map', 'Mail=email', '--schedule'], /needs a file path/],
    [['--kind', 'scim', '--name', 'X', '--map', 'Mail=email'], /takes no --map/],
    [['--kind', 'csv', '--name', 'X', '--map', 'Mail=email', '--max-row-drop', '0'], /max-row-drop must be a whole percentage/],
  ])('refuses a bad source clearly (%j) and writes nothing', async (args, message) => {
    const { org } = await makeOrganization(db);
    const attempt = run('reconcile source create', ['--org', org.slug, ...args]);
    await expect(attempt).rejects.toThrow(message);
    await attempt.catch((e: unknown) => expect(e instanceof UsageError || (e as { code?: string }).code === 'invalid_input').toBe(true));
    expect((await run('reconcile source list', ['--org', org.slug])).data).toEqual([]);
  });

  it('runs a dry run (JSON: runId, halted, counts, findings), then the real run; findings by category', async () => {
    const { org } = await makeOrganization(db);
    const kept = await makeAccount(db, org.id, { profile: { employeeNumber: 'E1', department: 'Sales' } });
    const orphan = await makeAccount(db, org.id, { profile: { employeeNumber: 'E2', department: 'Sales' } });
    await create(org.slug, 'HR', ['--on', 'orphan=suspend', '--max-share', '100']);
    const file = csvFile('Employee ID,Status,Dept\nE1,Active,Sales\nE3,Active,Ops\n');
    const dry = await run('reconcile run', ['--org', org.slug, '--source', 'HR', '--file', file, '--dry-run']);
    expect(dry.data).toMatchObject({ runId: expect.any(String), halted: false, dryRun: true, outcome: 'completed', counts: { matched: 1, orphan: 1, missing: 1, drift: 0, stale: 0, conflict: 0 }, findingsTotal: 2 });
    const findings = (dry.data as { findings: { category: string; accountId: string | null; action: string }[] }).findings;
    expect(findings.map((f) => [f.category, f.accountId, f.action])).toEqual([['missing', null, 'report'], ['orphan', orphan.id, 'suspend']]);
    expect(dry.text).toContain('dry run: nothing changed');
    const real = await run('reconcile run', ['--org', org.slug, '--source', 'HR', '--file', file]);
    expect(real.data).toMatchObject({ halted: false, dryRun: false, counts: dry.data && (dry.data as { counts: object }).counts, actions: { suspend: 1 } });
    expect(real.data).not.toHaveProperty('findings');
    const [{ status }] = (await db.execute<{ status: string }>(sql`select status from accounts where id = ${orphan.id}::uuid`)) as unknown as [{ status: string }];
    expect(status).toBe('suspended');
    const orphans = await run('reconcile findings', ['--run', (real.data as { runId: string }).runId, '--category', 'orphan']);
    expect(orphans.data).toMatchObject({ findings: [{ category: 'orphan', accountId: orphan.id, userName: orphan.userName, action: 'suspend', actionOutcome: 'applied', isNew: true }], nextCursor: null });
    const page = await run('reconcile findings', ['--run', (real.data as { runId: string }).runId, '--limit', '1']);
    expect((page.data as { nextCursor: string | null }).nextCursor).not.toBeNull();
    void kept;
  });

  it('says why a run halted and how to confirm it; a missing file is bad input', async () => {
    const { org } = await makeOrganization(db);
    for (let i = 1; i <= 4; i++) await makeAccount(db, org.id, { profile: { employeeNumber: `E${i}` } });
    await create(org.slug, 'HR', ['--on', 'stale=suspend', '--max-share', '10']);
    const file = csvFile(`Employee ID,Status,Dept\n${[1, 2, 3, 4].map((i) => `E${i},${i > 2 ? 'Active' : 'Terminated'},`).join('\n')}\n`);
    const halted = await run('reconcile run', ['--org', org.slug, '--source', 'HR', '--file', file]);
    const runId = (halted.data as { runId: string }).runId;
    expect(halted.data).toMatchObject({ halted: true, confirmable: true, haltReason: expect.stringContaining('over the limit of 10%'), counts: expect.objectContaining({ stale: 2 }) });
    expect(halted.text).toContain(`--confirm ${runId}`);
    const confirmed = await run('reconcile run', ['--org', org.slug, '--source', 'HR', '--file', file, '--confirm', runId]);
    expect(confirmed.data).toMatchObject({ halted: false, confirmsRunId: runId, actions: { suspend: 2 } });
    await expect(run('reconcile run', ['--org', org.slug, '--source', 'HR', '--file', '/nonexistent/hr.csv'])).rejects.toThrow(/cannot read \/nonexistent\/hr.csv: no such file/);
    await expect(run('reconcile run', ['--org', org.slug, '--source', 'HR', '--dry-run', '--confirm', runId])).rejects.toThrow(UsageError);
    await expect(run('reconcile run', ['--org', org.slug, '--source', 'Nope'])).rejects.toThrow(/no reconciliation source Nope/);
    await expect(run('reconcile findings', ['--run', runId, '--category', 'matched'])).rejects.toThrow(/--category must be one of/);
  });
});

describe('roster reconcile (the real CLI)', { timeout: 120_000 }, () => {
  it('creates a SCIM-directory source and runs it: one JSON document, exit codes 0, 1 and 2', async () => {
    const { org } = await makeOrganization(db);
    const jit = await makeAccount(db, org.id, { door: 'jit' });
    const created = await roster(['reconcile', 'source', 'create', '--org', org.slug, '--kind', 'scim', '--name', 'Entra ID', '--json']);
    expect(created, created.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'Entra ID', kind: 'scim' });
    const dry = await roster(['reconcile', 'run', '--org', org.slug, '--source', 'Entra ID', '--dry-run', '--json']);
    expect(dry, dry.stderr).toMatchObject({ code: 0 });
    const data = JSON.parse(dry.stdout) as Record<string, unknown>;
    expect(data).toMatchObject({ runId: expect.any(String), halted: false, counts: { matched: 0, orphan: 1 }, findings: [expect.objectContaining({ category: 'orphan', accountId: jit.id })] });
    const listed = await roster(['reconcile', 'findings', '--run', String(data.runId), '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject({ runId: data.runId, findings: [expect.objectContaining({ accountId: jit.id })] });
    const usage = await roster(['reconcile', 'run', '--org', org.slug]);
    expect(usage).toMatchObject({ code: 2 });
    expect(usage.stderr).toContain('--source is required');
    const missing = await roster(['reconcile', 'findings', '--run', '00000000-0000-4000-8000-000000000000']);
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toContain('no reconciliation run');
    expect(missing.stderr).not.toMatch(/\s+at /);
  });
});
