import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDatabase } from '@/db/embedded';
import { finishJobRun, getJobRun, insertJobRun } from '@/db/queries/job-runs';
import type { JobDefinition } from '@/lib/jobs/types';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { UsageError, commonOptions, type CommandOutput } from './command';
import { jobsCommandsFor } from './commands/jobs';

const launcher = path.join(import.meta.dirname, 'roster.mjs');
const db = testDb();
afterAll(closeTestDb);

type Run = { code: number; stdout: string; stderr: string };

/** The real CLI in a child process, against this run's test database. */
function roster(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [launcher, ...args], { env: { ...process.env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function json<T>(args: string[]): Promise<T> {
  const run = await roster([...args, '--json']);
  expect(run, run.stderr).toMatchObject({ code: 0 });
  return JSON.parse(run.stdout) as T;
}

/** A halted job_runs row, as a breaker leaves it. */
async function haltedRun(job: string, organizationId: string | null) {
  const run = await insertJobRun(db, { job, organizationId, dryRun: false, asOf: new Date(), trigger: 'schedule', startedBy: 'system', attempt: 1, queueJobId: null, confirmsRunId: null });
  await finishJobRun(db, run.id, { status: 'halted', counts: { suspend: 4 }, haltReason: 'would suspend 4 of 10 accounts (40.0%), over the limit of 10%', error: null, details: {} });
  return run.id;
}

describe('roster jobs (the real CLI)', { timeout: 120_000 }, () => {
  it('lists the jobs with scope, schedule, summary and last run', async () => {
    const jobs = await json<{ name: string; scope: string; schedule: string; summary: string; lastRun: unknown }[]>(['jobs', 'list']);
    expect(jobs.map((j) => j.name)).toEqual(expect.arrayContaining(['purge-saml-state', 'purge-ended-sessions', 'purge-deprovisioned-accounts']));
    expect(jobs.find((j) => j.name === 'purge-saml-state')).toMatchObject({ scope: 'deployment', schedule: '*/15 * * * *', summary: expect.any(String) });
    const text = await roster(['jobs', 'list']);
    expect(text.stdout).toMatch(/NAME\s+SCOPE\s+SCHEDULE \(UTC\)\s+LAST RUN\s+SUMMARY/);
  });

  it('previews a deployment job with --dry-run --as-of, recorded as a dry run by the CLI', async () => {
    const run = await json<Record<string, unknown>>(['jobs', 'run', 'purge-saml-state', '--dry-run', '--as-of', '2000-01-02']);
    expect(run).toMatchObject({ job: 'purge-saml-state', dryRun: true, halted: false, haltReason: null, status: 'succeeded', asOf: '2000-01-02T00:00:00.000Z', accounts: [] });
    expect(Object.keys(run.counts as object).sort()).toEqual(['delete_replay_entry', 'delete_request']);
    expect(await getJobRun(db, run.runId as string)).toMatchObject({ trigger: 'cli', dryRun: true, asOf: new Date('2000-01-02T00:00:00Z'), startedBy: expect.stringMatching(/^cli/) });
  });

  it('confirms a halted run, and shows both in the history', async () => {
    const halted = await haltedRun('purge-ended-sessions', null);
    const run = await json<{ runId: string; confirmsRunId: string; halted: boolean }>(['jobs', 'run', 'purge-ended-sessions', '--confirm', halted]);
    expect(run).toMatchObject({ confirmsRunId: halted, halted: false });
    expect(await getJobRun(db, halted)).toMatchObject({ confirmedBy: expect.stringMatching(/^cli/), confirmedAt: expect.any(Date) });
    const again = await roster(['jobs', 'run', 'purge-ended-sessions', '--confirm', halted]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already confirmed');

    const history = await json<{ runId: string; status: string; confirmsRunId: string | null }[]>(['jobs', 'history', '--job', 'purge-ended-sessions', '--limit', '50']);
    expect(history).toEqual(expect.arrayContaining([expect.objectContaining({ runId: halted, status: 'halted' }), expect.objectContaining({ runId: run.runId, confirmsRunId: halted })]));
  });

  it("shows an organization's failed runs with their error", async () => {
    const { org } = await makeOrganization(db);
    const failed = await insertJobRun(db, { job: 'dormancy', organizationId: org.id, dryRun: false, asOf: new Date(), trigger: 'schedule', startedBy: 'system', attempt: 3, queueJobId: null, confirmsRunId: null });
    await finishJobRun(db, failed.id, { status: 'failed', counts: {}, haltReason: null, error: 'connection reset by peer', details: {} });
    const text = await roster(['jobs', 'history', '--org', org.slug]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(failed.id);
    expect(text.stdout).toMatch(/failed attempt 3\s+-\s+connection reset by peer/);
    expect(await json<unknown[]>(['jobs', 'history', '--org', org.slug, '--job', 'other'])).toEqual([]);
  });

  it.concurrent.for<[string, number, string[], RegExp]>([
    ['an unknown job', 2, ['jobs', 'run', 'nope'], /no job nope/],
    ['no job name', 2, ['jobs', 'run'], /NAME is required/],
    ['two job names', 2, ['jobs', 'run', 'purge-saml-state', 'extra'], /unexpected argument: extra/],
    ['--org for a deployment job', 2, ['jobs', 'run', 'purge-saml-state', '--org', 'acme'], /runs for the whole deployment: it takes no --org/],
    ['--as-of without --dry-run', 2, ['jobs', 'run', 'purge-saml-state', '--as-of', '2030-01-01'], /needs --dry-run/],
    ['a bad --as-of', 2, ['jobs', 'run', 'purge-saml-state', '--dry-run', '--as-of', 'tomorrow'], /--as-of takes an ISO 8601/],
    ['--confirm with --dry-run', 2, ['jobs', 'run', 'purge-saml-state', '--dry-run', '--confirm', randomUUID()], /cannot be combined with --dry-run/],
    ['a --confirm that is no run id', 2, ['jobs', 'run', 'purge-saml-state', '--confirm', 'abc'], /--confirm takes a run id/],
    ['a --confirm of no run', 1, ['jobs', 'run', 'purge-saml-state', '--confirm', randomUUID()], /no run .* of purge-saml-state/],
    ['an unknown organization in history', 1, ['jobs', 'history', '--org', 'no-such-org'], /organization no-such-org not found/],
    ['a bad --limit', 2, ['jobs', 'history', '--limit', '0'], /--limit must be a whole number from 1 to 1000/],
  ])('refuses %s with exit %i and a message', async ([, code, args, message], { expect }) => {
    const run = await roster(args);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});

describe('roster jobs run with organization jobs', () => {
  const perOrg: JobDefinition = {
    name: 'test-breaker',
    summary: 'halts until confirmed',
    scope: 'organization',
    schedule: '0 5 * * *',
    run: async ({ confirmed, dryRun }) => ({
      counts: { suspend: 2 },
      halted: confirmed || dryRun ? null : { reason: 'would suspend 2 of 3 accounts (66.7%), over the limit of 10%' },
      planned: dryRun ? [{ accountId: 'a1', userName: 'ann@example.com', action: 'suspend', clause: 'no activity for 95 days ≥ suspend after 90' }] : undefined,
    }),
  };
  const failing: JobDefinition = { ...perOrg, name: 'test-failing', run: async () => Promise.reject(new Error('the directory is unreachable')) };
  const command = jobsCommandsFor([perOrg, failing]).find((c) => c.name === 'jobs run')!;
  /** The command in this process, parsed as main.ts parses it. */
  async function run(args: string[]): Promise<CommandOutput> {
    const { values, positionals } = parseArgs({ args, options: { ...commonOptions, ...command.options }, strict: true, allowPositionals: true });
    return command.prepare(values, positionals)({ db, url: '' });
  }

  it('requires --org, halts, shows how to confirm, and proceeds once confirmed', async () => {
    const { org } = await makeOrganization(db);
    expect(() => command.prepare({}, ['test-breaker'])).toThrow(new UsageError('test-breaker runs for one organization: --org is required'));
    const halted = await run(['test-breaker', '--org', org.slug]);
    const data = halted.data as { runId: string; halted: boolean; haltReason: string };
    expect(data).toMatchObject({ job: 'test-breaker', organization: org.slug, dryRun: false, halted: true, haltReason: expect.stringContaining('66.7%'), counts: { suspend: 2 } });
    expect(halted.data).not.toHaveProperty('accounts');
    expect(halted.text).toContain(`roster jobs run test-breaker --org ${org.slug} --confirm ${data.runId}`);
    const confirmed = await run(['test-breaker', '--org', org.slug, '--confirm', data.runId]);
    expect(confirmed.data).toMatchObject({ halted: false, status: 'succeeded', confirmsRunId: data.runId });

    const { org: other } = await makeOrganization(db);
    const elsewhere = await run(['test-breaker', '--org', other.slug]);
    await expect(run(['test-breaker', '--org', org.slug, '--confirm', (elsewhere.data as { runId: string }).runId])).rejects.toMatchObject({ code: 'not_found' });
  });

  it('fails with the run id and the error (exit 1), the run recorded as failed', async () => {
    const { org } = await makeOrganization(db);
    const failure = await run(['test-failing', '--org', org.slug]).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'internal', message: expect.stringMatching(/^test-failing failed \(run [0-9a-f-]{36}\): the directory is unreachable$/) });
    const runId = /run ([0-9a-f-]{36})/.exec((failure as Error).message)![1]!;
    expect(await getJobRun(db, runId)).toMatchObject({ status: 'failed', error: 'the directory is unreachable', organizationId: org.id });
  });

  it('lists each account with its action in a dry run', async () => {
    const { org } = await makeOrganization(db);
    const dry = await run(['test-breaker', '--org', org.slug, '--dry-run', '--as-of', '2031-01-01T00:00:00Z']);
    expect(dry.data).toMatchObject({ dryRun: true, halted: false, asOf: new Date('2031-01-01T00:00:00Z'), accounts: [{ userName: 'ann@example.com', action: 'suspend', clause: expect.stringContaining('90') }] });
    expect(dry.text).toMatch(/ann@example.com\s+suspend\s+no activity for 95 days/);
  });
});

describe('npm run worker', () => {
  /** Against a database of its own: its schedules would otherwise run housekeeping in the shared test database. */
  it('starts the workers, and stops cleanly on SIGTERM', { timeout: 90_000 }, async () => {
    const name = `roster_worker_${process.pid}_${randomUUID().slice(0, 6)}`;
    const own = new URL(process.env.DATABASE_URL!);
    const admin = new URL(own);
    admin.pathname = '/postgres';
    own.pathname = `/${name}`;
    await ensureDatabase(admin.toString(), name, { recreate: true });
    try {
      // As `npm run worker` runs it: node with tsx's loader (the tsx CLI's signal relay gives a busy child 30 ms, then kills it).
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'worker.ts')], { env: { ...process.env, DATABASE_URL: own.toString() }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the worker did not start: ${output}`)), 60_000);
        const read = (chunk: Buffer) => {
          output += chunk.toString();
          if (!output.includes('Roster workers:')) return;
          clearTimeout(timer);
          resolve();
        };
        child.stdout.on('data', read);
        child.stderr.on('data', read);
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`the worker exited: ${output}`));
        });
      });
      expect(output).toContain('purge-saml-state');
      const stopping = Date.now();
      child.kill('SIGTERM');
      const code = await exited;
      expect(code, output).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(30_000);
    } finally {
      await ensureDatabase(admin.toString(), name, { drop: true });
    }
  });
});
