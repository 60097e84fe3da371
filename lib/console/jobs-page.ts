import type { Tx } from '@/db';
import { findConfirmingRuns, findLatestOrganizationRuns, findOrganizationJobRuns, getOrganizationJobRun } from '@/db/queries/console-job-runs';
import { findNames } from '@/db/queries/names';
import { describeSchedule } from '@/lib/jobs/describe-schedule';
import { jobDefinitions } from '@/lib/jobs/registry';
import type { JobDefinition, PlannedAction } from '@/lib/jobs/types';
import type { JobListParams } from './job-list-params';
import { adminIdsOf } from './job-words';

/**
 * The job runs pages' data (`/admin/jobs`, `/admin/jobs/[runId]`), one function each, like
 * page-data.ts. Only the organization's own runs are read; the deployment's housekeeping is listed
 * by name and schedule alone (its runs concern every organization, so none is shown here).
 */
export const JOB_RUNS_PAGE_SIZE = 25;

export type ConsoleJob = { name: string; summary: string; scope: JobDefinition['scope']; schedule: string; scheduleWords: string };

const toJob = (d: JobDefinition): ConsoleJob => ({ name: d.name, summary: d.summary, scope: d.scope, schedule: d.schedule, scheduleWords: describeSchedule(d.schedule) });

/** The jobs an organization's console lists: its own (organization scope), then the deployment's. */
export function consoleJobs(definitions: readonly JobDefinition[] = jobDefinitions) {
  return { organization: definitions.filter((d) => d.scope === 'organization').map(toJob), deployment: definitions.filter((d) => d.scope === 'deployment').map(toJob) };
}

/** A run's stored plan (run-job keeps the first accounts of a dry or halted run), or null. */
export function plannedOf(details: Record<string, unknown>): { accounts: PlannedAction[]; total: number } | null {
  const accounts = Array.isArray(details.planned) ? (details.planned as PlannedAction[]) : null;
  if (!accounts) return null;
  return { accounts, total: typeof details.plannedTotal === 'number' ? details.plannedTotal : accounts.length };
}

export async function loadJobsPage(db: Tx, organizationId: string, params: JobListParams, definitions: readonly JobDefinition[] = jobDefinitions) {
  const jobs = consoleJobs(definitions);
  const names = jobs.organization.map((j) => j.name);
  const [latest, history] = await Promise.all([
    findLatestOrganizationRuns(db, organizationId, names),
    findOrganizationJobRuns(db, organizationId, { jobs: params.job ? [params.job] : undefined, statuses: params.status ? [params.status] : undefined, limit: JOB_RUNS_PAGE_SIZE, olderThan: params.older }),
  ]);
  const byJob = new Map(latest.map((r) => [r.job, r]));
  const halted = latest
    .filter((r) => r.status === 'halted' && !r.confirmedAt)
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
    .map((r) => ({ ...r, planned: plannedOf(r.details), summary: jobs.organization.find((j) => j.name === r.job)?.summary ?? '' }));
  const people = await findNames(db, organizationId, { accounts: adminIdsOf(history.rows.map((r) => r.startedBy)) });
  return {
    jobs: jobs.organization.map((j) => ({ ...j, lastRun: byJob.get(j.name) ?? null })),
    deploymentJobs: jobs.deployment,
    halted,
    history,
    names: people,
  };
}

/** null for a run that is not the organization's (another organization's, the deployment's, none). */
export async function loadJobRunPage(db: Tx, organizationId: string, runId: string, definitions: readonly JobDefinition[] = jobDefinitions) {
  const run = await getOrganizationJobRun(db, organizationId, runId);
  if (!run) return null;
  const [confirmedBy, latest] = await Promise.all([
    run.status === 'halted' ? findConfirmingRuns(db, organizationId, run.id) : [],
    run.status === 'halted' && !run.confirmedAt && !run.dryRun ? findLatestOrganizationRuns(db, organizationId, [run.job]) : [],
  ]);
  const names = await findNames(db, organizationId, { accounts: adminIdsOf([run.startedBy, run.confirmedBy]) });
  const { planned: _planned, plannedTotal: _total, ...details } = run.details;
  const definition = definitions.find((d) => d.name === run.job);
  return {
    run,
    job: definition ? toJob(definition) : null,
    planned: plannedOf(run.details),
    details,
    confirmingRuns: confirmedBy,
    /** This halted run is the newest real run of its job and nobody confirmed it: it waits for an admin. */
    awaitingConfirmation: latest[0]?.id === run.id,
    names,
  };
}
