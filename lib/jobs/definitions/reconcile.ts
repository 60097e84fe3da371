import { findHaltedRunsOfJobRun } from '@/db/queries/reconcile-runs';
import { findOrganizationsWithScheduledSources, findScheduledReconcileSources } from '@/db/queries/reconcile-sources';
import type { ReconcileSource } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { openReconcileSource, type OpenedSource } from '@/lib/reconcile/open-source';
import { runReconciliation, type ReconcileOutcome } from '@/lib/reconcile/run';
import type { JobDefinition, JobInput, JobResult } from '../types';

/** A file that cannot be opened is a run that failed (recorded, audited), not a job that stops. */
function failingSource(error: unknown): OpenedSource {
  const message = error instanceof Error ? error.message : String(error);
  return {
    filePath: null,
    checksum: () => null,
    records: {
      kind: 'csv',
      async *batches() {
        throw new Error(message);
      },
    },
  };
}

const triggerOf = (input: JobInput) => (input.actor.type === 'system' ? 'schedule' : input.actor.type === 'cli' ? 'cli' : 'console');

/**
 * The scheduled reconciliation of one organization: each of its sources with a file path and the
 * schedule on is read and reconciled (lib/reconcile/run.ts), one reconcile_run per source, each
 * pointing at this job run. The job run halts when a source's run halted; confirming the job run
 * (`roster jobs run reconcile --org SLUG --confirm JOB_RUN_ID`) confirms the confirmable ones (the
 * breaker, a row-count drop), which then proceed with the file as it is now. A source whose file is
 * missing or unreadable gets a failed run, and the others go on.
 */
export async function runScheduledReconciliation(input: JobInput): Promise<JobResult> {
  const organizationId = input.organizationId;
  if (!organizationId) throw new AppError('invalid_input', 'reconcile runs for one organization.');
  const sources = await findScheduledReconcileSources(input.db, organizationId);
  const confirming = input.confirmed ? new Map((await findHaltedRunsOfJobRun(input.db, input.confirmed.runId)).map((r) => [r.sourceId, r.id])) : new Map<string, string>();
  const outcomes: ReconcileOutcome[] = [];
  for (const source of sources) outcomes.push(await reconcileOne(input, source, confirming.get(source.id) ?? null));
  // The job's counts are what it did (or, halted, would do) to accounts: what an admin confirms. The findings are in details.
  const counts: Record<string, number> = { runs: outcomes.length, halted: 0, failed: 0 };
  const findings: Record<string, number> = {};
  for (const o of outcomes) {
    if (o.outcome === 'halted') counts.halted! += 1;
    if (o.outcome === 'failed') counts.failed! += 1;
    for (const [category, n] of Object.entries(o.counts)) findings[category] = (findings[category] ?? 0) + n;
    for (const action of ['suspend', 'deprovision', 'update'] as const) if (o.actions[action]) counts[action] = (counts[action] ?? 0) + o.actions[action];
  }
  const halted = outcomes.filter((o) => o.outcome === 'halted');
  const runs = outcomes.map((o) => ({ source: o.source, runId: o.runId, outcome: o.outcome, haltReason: o.haltReason, failureReason: o.failureReason, counts: o.counts, actions: o.actions }));
  const details = { findings, runs };
  return { counts, halted: halted.length ? { reason: halted.map((o) => `${o.source} (run ${o.runId}): ${o.haltReason}`).join('; ') } : null, details };
}

async function reconcileOne(input: JobInput, source: ReconcileSource, confirmRunId: string | null): Promise<ReconcileOutcome> {
  const opened = await openReconcileSource(input.db, source).catch(failingSource);
  return runReconciliation(input.db, {
    organizationId: source.organizationId,
    source,
    records: opened.records,
    filePath: opened.filePath ?? source.filePath,
    checksum: opened.checksum,
    dryRun: input.dryRun,
    now: input.now,
    actor: input.actor,
    trigger: triggerOf(input),
    confirmRunId: input.dryRun ? null : confirmRunId,
    jobRunId: input.runId,
  });
}

export const reconcileJob: JobDefinition = {
  name: 'reconcile',
  summary: 'Reconcile accounts against each scheduled HR export (file path, schedule on): findings, remediation by policy, behind the sanity checks and the circuit breaker',
  scope: 'organization',
  schedule: '45 2 * * *',
  selectOrganizations: (db) => findOrganizationsWithScheduledSources(db),
  run: runScheduledReconciliation,
};
