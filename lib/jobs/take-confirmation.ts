import type { Tx } from '@/db';
import { getJobRunForUpdate, markJobRunConfirmed } from '@/db/queries/job-runs';
import { AppError } from '@/lib/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An admin's confirmation of a halted run (`roster jobs run NAME --confirm RUN_ID`): the run must be
 * of the same job and organization, halted, a real run, and not confirmed before. It is locked and
 * marked confirmed in the transaction that records the new run, so one halted run is confirmed once
 * even when two admins confirm it at the same moment. The new run gets `confirmed: { runId, counts }`
 * (what the admin saw) and the breaker lets it do up to that.
 */
export async function takeConfirmation(tx: Tx, job: string, organizationId: string | null, runId: string, confirmedBy: string | null) {
  const run = UUID.test(runId) ? await getJobRunForUpdate(tx, runId) : null;
  if (!run || run.job !== job || run.organizationId !== organizationId) {
    throw new AppError('not_found', `no run ${runId} of ${job} for this ${organizationId ? 'organization' : 'deployment'} (roster jobs history lists them)`);
  }
  if (run.status !== 'halted') throw new AppError('conflict', `run ${runId} is ${run.status}, not halted: only a halted run can be confirmed`);
  if (run.dryRun) throw new AppError('conflict', `run ${runId} was a dry run: run the job for real and confirm that run`);
  if (run.confirmedAt) throw new AppError('conflict', `run ${runId} was already confirmed on ${run.confirmedAt.toISOString()}`);
  if (!(await markJobRunConfirmed(tx, run.id, confirmedBy))) throw new AppError('conflict', `run ${runId} was confirmed by someone else meanwhile`);
  return { runId: run.id, counts: run.counts };
}
