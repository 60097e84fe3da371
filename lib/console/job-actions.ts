import { z } from 'zod';
import { getOrganizationJobRun } from '@/db/queries/console-job-runs';
import type { ActionContext } from '@/lib/auth/define-action';
import { AppError } from '@/lib/errors';
import { describeCounts } from '@/lib/jobs/describe-counts';
import { jobDefinitions } from '@/lib/jobs/registry';
import { runJob } from '@/lib/jobs/run-job';
import type { JobDefinition, PlannedAction } from '@/lib/jobs/types';

/**
 * The job runs page's actions, without Next.js (app/(dashboard)/admin/jobs/actions.ts binds them):
 * confirm a halted run, and preview a job with a dry run. Both run the job inline through
 * lib/jobs/run-job.ts for the admin's organization (never the form's), with trigger `console` and
 * the admin as actor; run-job checks the confirmation under a lock and audits it (job.run_confirmed).
 */
export const DRY_RUN_SHOWN = 50;

const organizationJob = (name: string, definitions: readonly JobDefinition[]) => {
  const definition = definitions.find((d) => d.name === name && d.scope === 'organization');
  if (!definition) throw new AppError('not_found', 'No such job for this organization.');
  return definition;
};

export const confirmRunSchema = z.object({ runId: z.uuid('No such run.') });

export async function confirmHaltedRun(input: z.infer<typeof confirmRunSchema>, { db, admin }: ActionContext, definitions: readonly JobDefinition[] = jobDefinitions) {
  const halted = await getOrganizationJobRun(db, admin.organizationId, input.runId);
  if (!halted) throw new AppError('not_found', 'No such run in this organization.');
  if (halted.status !== 'halted' || halted.dryRun) throw new AppError('conflict', `This run ${halted.dryRun ? 'was a dry run' : halted.status === 'running' ? 'is still running' : halted.status}: only a halted run can be confirmed.`);
  if (halted.confirmedAt) throw new AppError('conflict', 'This run was already confirmed.');
  const definition = organizationJob(halted.job, definitions);
  const outcome = await runJob(db, definition, { organizationId: admin.organizationId, trigger: 'console', actor: admin.actor, now: new Date(), confirmRunId: halted.id });
  if (outcome.status === 'failed') throw new AppError('unavailable', `The run failed (${outcome.error}). The confirmation was given back: try again, or look at the run.`);
  if (outcome.status === 'halted') throw new AppError('conflict', `The run halted again: ${outcome.haltReason}. Review the new halted run.`);
  return { message: `Confirmed: ${definition.name} ran and did ${describeCounts(outcome.counts)}.`, runId: outcome.runId, counts: outcome.counts };
}

export const dryRunSchema = z.object({ job: z.string().trim().min(1).max(100) });

export type DryRunReport = {
  message: string;
  runId: string;
  job: string;
  counts: Record<string, number>;
  halted: boolean;
  haltReason: string | null;
  planned: PlannedAction[];
  plannedTotal: number;
};

export async function dryRunJob(input: z.infer<typeof dryRunSchema>, { db, admin }: ActionContext, definitions: readonly JobDefinition[] = jobDefinitions): Promise<DryRunReport> {
  const definition = organizationJob(input.job, definitions);
  const outcome = await runJob(db, definition, { organizationId: admin.organizationId, trigger: 'console', actor: admin.actor, now: new Date(), dryRun: true });
  if (outcome.status === 'failed') throw new AppError('unavailable', `The dry run failed: ${outcome.error}`);
  const what = describeCounts(outcome.counts);
  return {
    message: what === 'nothing' ? 'A run now would change nothing.' : `A run now would ${what}${outcome.halted ? ', but the circuit breaker would halt it' : ''}.`,
    runId: outcome.runId,
    job: definition.name,
    counts: outcome.counts,
    halted: outcome.halted,
    haltReason: outcome.haltReason,
    planned: outcome.planned.slice(0, DRY_RUN_SHOWN),
    plannedTotal: outcome.planned.length,
  };
}
