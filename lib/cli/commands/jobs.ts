import { findJobRuns, findLastRuns, type JobRunRow } from '@/db/queries/job-runs';
import { AppError } from '@/lib/errors';
import { getJobDefinition, jobDefinitions } from '@/lib/jobs/registry';
import { runJob, type RunOutcome } from '@/lib/jobs/run-job';
import type { JobDefinition } from '@/lib/jobs/types';
import { UsageError, flag, integer, optionalString, orgOption, type Command, type OptionValues } from '../command';
import { details, table } from '../format';
import { cliActor, getOrganizationOrThrow } from '../resolve';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const listCommand = (definitions: readonly JobDefinition[]): Command => ({
  name: 'jobs list',
  summary: 'List the scheduled jobs with their last run',
  usage: [],
  options: {},
  prepare: () => async ({ db }) => {
    const last = new Map((await findLastRuns(db, definitions.map((d) => d.name))).map((r) => [r.job, r]));
    const jobs = definitions.map((d) => {
      const run = last.get(d.name);
      const lastRun = run ? { runId: run.runId, status: run.status, startedAt: run.startedAt, organization: run.organizationSlug } : null;
      return { name: d.name, scope: d.scope, schedule: d.schedule, summary: d.summary, lastRun };
    });
    return {
      data: jobs,
      text: table(jobs, [
        ['NAME', (j) => j.name],
        ['SCOPE', (j) => j.scope],
        ['SCHEDULE (UTC)', (j) => j.schedule],
        ['LAST RUN', (j) => (j.lastRun ? `${j.lastRun.status} ${j.lastRun.startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}${j.lastRun.organization ? ` (${j.lastRun.organization})` : ''}` : null)],
        ['SUMMARY', (j) => j.summary],
      ]),
    };
  },
});

/** A job_runs row as the CLI prints it (the fields of `jobs run`, then the record's own). */
function toRunJson(r: JobRunRow) {
  return {
    runId: r.id,
    job: r.job,
    organization: r.organizationSlug,
    status: r.status,
    dryRun: r.dryRun,
    halted: r.status === 'halted',
    haltReason: r.haltReason,
    counts: r.counts,
    error: r.error,
    asOf: r.asOf,
    trigger: r.trigger,
    startedBy: r.startedBy,
    attempt: r.attempt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    confirmsRunId: r.confirmsRunId,
    confirmedBy: r.confirmedBy,
    confirmedAt: r.confirmedAt,
  };
}

const countsText = (counts: Record<string, number>) => Object.entries(counts).map(([action, n]) => `${action}=${n}`).join(' ') || null;

const history: Command = {
  name: 'jobs history',
  summary: 'Show job runs, newest first: outcome, counts, why a run halted or the error it failed with',
  usage: [
    ['--job <name>', 'only this job (roster jobs list)'],
    ['--org <slug>', "only this organization's runs"],
    ['--limit <n>', 'how many runs, 1-1000 (default 20)'],
  ],
  options: { ...orgOption, job: { type: 'string' }, limit: { type: 'string' } },
  prepare(values) {
    const job = optionalString(values, 'job');
    const slug = optionalString(values, 'org');
    const limit = integer(values, 'limit', 20, { min: 1, max: 1000 });
    return async ({ db }) => {
      const organizationId = slug === undefined ? undefined : (await getOrganizationOrThrow(db, slug)).id;
      const runs = (await findJobRuns(db, { job, organizationId, limit })).map(toRunJson);
      return {
        data: runs,
        text: table(runs, [
          ['RUN', (r) => r.runId],
          ['JOB', (r) => r.job],
          ['ORG', (r) => r.organization],
          ['STARTED', (r) => r.startedAt],
          ['STATUS', (r) => `${r.status}${r.dryRun ? ' (dry run)' : ''}${r.attempt > 1 ? ` attempt ${r.attempt}` : ''}`],
          ['COUNTS', (r) => countsText(r.counts)],
          ['WHY', (r) => r.haltReason ?? r.error],
        ], '(no runs match)'),
      };
    };
  },
};

/**
 * `--as-of` previews another moment, so it requires `--dry-run`: a real run always acts at the real
 * time (its decisions and the audit trail it writes share one clock). Any date, past or future, may be previewed.
 */
function parseAsOf(values: OptionValues, dryRun: boolean): Date | null {
  const raw = optionalString(values, 'as-of');
  if (raw === undefined) return null;
  const at = new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(at.getTime())) throw new UsageError('--as-of takes an ISO 8601 date or time such as 2027-01-01 or 2027-01-01T09:00:00Z');
  if (!dryRun) throw new UsageError('--as-of previews another date and needs --dry-run (a real run acts now)');
  return at;
}

function runText(outcome: RunOutcome, slug: string | null): string {
  const lines: [string, string | number | null][] = [
    ['run', outcome.runId],
    ['job', `${outcome.job}${slug ? ` (${slug})` : ''}`],
    ['status', `${outcome.status}${outcome.dryRun ? ' (dry run: nothing changed)' : ''}`],
    ['counts', countsText(outcome.counts)],
  ];
  if (outcome.confirmsRunId) lines.push(['confirms', outcome.confirmsRunId]);
  const text = [details(lines)];
  if (outcome.halted) {
    text.push(`Halted: ${outcome.haltReason}`, `Nothing was changed. To proceed: roster jobs run ${outcome.job}${slug ? ` --org ${slug}` : ''} --confirm ${outcome.runId}`);
  }
  if (outcome.dryRun && outcome.planned.length > 0) {
    text.push(table(outcome.planned, [['ACCOUNT', (p) => p.userName], ['ACTION', (p) => p.action], ['WHY', (p) => p.clause]]));
  }
  return text.join('\n');
}

const runCommand = (definitions: readonly JobDefinition[]): Command => ({
  name: 'jobs run',
  summary: 'Run a job now (for one organization, or the deployment), or preview it with --dry-run',
  positionals: ['NAME'],
  usage: [
    ['NAME', 'the job (roster jobs list)'],
    ['--org <slug>', 'the organization: required for organization jobs, refused for deployment jobs'],
    ['--dry-run', 'show what the run would do, to whom and why; change nothing'],
    ['--as-of <date>', 'with --dry-run: preview the run at another date (ISO 8601)'],
    ['--confirm <run-id>', 'proceed with this halted run of the job (an admin confirms the breaker)'],
  ],
  options: { ...orgOption, 'dry-run': { type: 'boolean' }, 'as-of': { type: 'string' }, confirm: { type: 'string' } },
  prepare(values, [name]) {
    const definition = getJobDefinition(name!, definitions);
    if (!definition) throw new UsageError(`no job ${name} (roster jobs list shows them: ${definitions.map((d) => d.name).join(', ')})`);
    const slug = optionalString(values, 'org');
    if (definition.scope === 'organization' && slug === undefined) throw new UsageError(`${definition.name} runs for one organization: --org is required`);
    if (definition.scope === 'deployment' && slug !== undefined) throw new UsageError(`${definition.name} runs for the whole deployment: it takes no --org`);
    const dryRun = flag(values, 'dry-run');
    const asOf = parseAsOf(values, dryRun);
    const confirmRunId = optionalString(values, 'confirm') ?? null;
    if (confirmRunId && dryRun) throw new UsageError('--confirm proceeds with a real run; it cannot be combined with --dry-run');
    if (confirmRunId && !UUID.test(confirmRunId)) throw new UsageError('--confirm takes a run id (roster jobs history shows them)');
    return async ({ db }) => {
      const organizationId = slug === undefined ? null : (await getOrganizationOrThrow(db, slug)).id;
      const now = asOf ?? new Date();
      const outcome = await runJob(db, definition, {
        organizationId,
        trigger: 'cli',
        actor: cliActor(),
        now,
        dryRun,
        confirmRunId,
      });
      if (outcome.status === 'failed') throw new AppError('internal', `${outcome.job} failed (run ${outcome.runId}): ${outcome.error}`);
      const data = {
        runId: outcome.runId,
        job: outcome.job,
        organization: slug ?? null,
        status: outcome.status,
        dryRun: outcome.dryRun,
        halted: outcome.halted,
        haltReason: outcome.haltReason,
        counts: outcome.counts,
        confirmsRunId: outcome.confirmsRunId,
        ...(dryRun ? { asOf: now, accounts: outcome.planned } : {}),
      };
      return { data, text: runText(outcome, slug ?? null) };
    };
  },
});

/** The `roster jobs` commands over these job definitions (the registry's; tests pass their own). */
export function jobsCommandsFor(definitions: readonly JobDefinition[]): Command[] {
  return [listCommand(definitions), history, runCommand(definitions)];
}

export const jobsCommands = jobsCommandsFor(jobDefinitions);
