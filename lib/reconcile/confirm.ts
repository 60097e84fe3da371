import type { Tx } from '@/db';
import { getReconcileRun, markReconcileRunConfirmed } from '@/db/queries/reconcile-runs';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';

/**
 * An admin's confirmation of a halted run (`roster reconcile run … --confirm RUN_ID`): the run must
 * be of the same source, halted by what an admin may judge (the circuit breaker or a row-count drop:
 * never bad rows or duplicate keys, which only a corrected file cures), a real run, and not
 * confirmed before. It is locked and marked in the transaction that records the new run, so it is
 * confirmed once. The new run may suspend or deprovision up to what the halted run planned.
 */
export async function takeReconcileConfirmation(tx: Tx, input: { organizationId: string; sourceId: string; runId: string; confirmedBy: string | null }) {
  const run = isUuid(input.runId) ? await getReconcileRun(tx, input.organizationId, input.runId, { forUpdate: true }) : null;
  if (!run || run.sourceId !== input.sourceId) throw new AppError('not_found', `no run ${input.runId} of this source (roster reconcile runs lists them)`);
  if (run.outcome !== 'halted') throw new AppError('conflict', `run ${input.runId} is ${run.outcome}, not halted: only a halted run can be confirmed`);
  if (run.dryRun) throw new AppError('conflict', `run ${input.runId} was a dry run: run it for real and confirm that run`);
  if (!run.confirmable) throw new AppError('conflict', `run ${input.runId} cannot be confirmed: ${run.haltReason ?? 'its file failed a sanity check'}; fix the file and run again`);
  if (run.confirmedAt) throw new AppError('conflict', `run ${input.runId} was already confirmed on ${run.confirmedAt.toISOString()}`);
  if (!(await markReconcileRunConfirmed(tx, run.id, input.confirmedBy))) throw new AppError('conflict', `run ${input.runId} was confirmed by someone else meanwhile`);
  return { runId: run.id, changes: (run.actions.suspend ?? 0) + (run.actions.deprovision ?? 0) };
}
