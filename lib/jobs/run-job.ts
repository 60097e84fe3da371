import type { Database } from '@/db';
import { failInterruptedAttempts, finishJobRun, insertJobRun, releaseJobRunConfirmation } from '@/db/queries/job-runs';
import { recordEvent, type Actor } from '@/lib/audit/record-event';
import { AppError } from '@/lib/errors';
import { takeConfirmation } from './take-confirmation';
import type { JobDefinition, JobResult, PlannedAction } from './types';

export type RunTrigger = 'schedule' | 'cli' | 'console';

export type RunJobOptions = {
  organizationId: string | null;
  trigger: RunTrigger;
  actor: Actor;
  /** The run's clock (the real time, or `--as-of` for a dry run). */
  now: Date;
  dryRun?: boolean;
  /** Proceed with this halted run, which an admin confirms by asking for it. */
  confirmRunId?: string | null;
  /** The pg-boss job and its attempt (1 for the first), for scheduled runs. */
  queueJobId?: string | null;
  attempt?: number;
};

export type RunOutcome = {
  runId: string;
  job: string;
  organizationId: string | null;
  status: 'succeeded' | 'failed' | 'halted';
  dryRun: boolean;
  halted: boolean;
  haltReason: string | null;
  counts: Record<string, number>;
  planned: PlannedAction[];
  error: string | null;
  attempt: number;
  confirmsRunId: string | null;
};

const MAX_ERROR_LENGTH = 2000;
/** A dry or halted run keeps this many of its planned accounts in details.planned (what the console shows). */
export const PLANNED_KEPT = 100;

/**
 * Executes one job for one organization (or the deployment) and records it in job_runs: the row is
 * written `running` first, then `succeeded`, `halted` (the breaker stopped it; it waits for an admin's
 * confirmation) or `failed` with the error (a failed confirmed run gives the confirmation back, so the
 * admin can confirm the halted run again). Taking a confirmation is audited (`job.run_confirmed`, with the
 * actor: the admin in the console, the CLI's user) in the transaction that takes it, and a dry or
 * halted run keeps its first PLANNED_KEPT planned accounts in details. A failed run is returned, not thrown: the engine turns it
 * into a pg-boss failure (which retries), the CLI into exit 1.
 */
export async function runJob(db: Database, definition: JobDefinition, options: RunJobOptions): Promise<RunOutcome> {
  assertScope(definition, options.organizationId);
  const dryRun = options.dryRun ?? false;
  if (dryRun && options.confirmRunId) throw new AppError('invalid_input', 'a confirmation applies to a real run, not a dry run');
  const attempt = options.attempt ?? 1;
  const values = {
    job: definition.name,
    organizationId: options.organizationId,
    dryRun,
    asOf: options.now,
    trigger: options.trigger,
    startedBy: actorName(options.actor),
    attempt,
    queueJobId: options.queueJobId ?? null,
  };
  const { run, confirmed } = await db.transaction(async (tx) => {
    if (values.queueJobId) await failInterruptedAttempts(tx, { job: values.job, organizationId: values.organizationId, queueJobId: values.queueJobId });
    const confirmation = options.confirmRunId ? await takeConfirmation(tx, definition.name, options.organizationId, options.confirmRunId, values.startedBy) : null;
    const inserted = await insertJobRun(tx, { ...values, confirmsRunId: confirmation?.runId ?? null });
    if (confirmation) {
      await recordEvent(tx, {
        organizationId: options.organizationId,
        actor: options.actor,
        action: 'job.run_confirmed',
        target: { type: 'job_run', id: confirmation.runId },
        data: { job: definition.name, runId: inserted.id, counts: confirmation.counts, trigger: options.trigger },
      });
    }
    return { run: inserted, confirmed: confirmation };
  });

  const base = { runId: run.id, job: definition.name, organizationId: options.organizationId, dryRun, attempt, confirmsRunId: confirmed?.runId ?? null };
  let result: JobResult;
  try {
    result = await definition.run({ db, now: options.now, dryRun, organizationId: options.organizationId, runId: run.id, actor: options.actor, confirmed });
  } catch (error) {
    const message = describeError(error);
    await finishJobRun(db, run.id, { status: 'failed', counts: {}, haltReason: null, error: message, details: {} });
    if (confirmed) await releaseJobRunConfirmation(db, confirmed.runId);
    return { ...base, status: 'failed', halted: false, haltReason: null, counts: {}, planned: [], error: message };
  }
  const haltReason = result.halted?.reason ?? null;
  const status = haltReason === null ? 'succeeded' : 'halted';
  await finishJobRun(db, run.id, { status, counts: result.counts, haltReason, error: null, details: keptDetails(result, dryRun || haltReason !== null) });
  return { ...base, status, halted: haltReason !== null, haltReason, counts: result.counts, planned: result.planned ?? [], error: null };
}

/** The job's details, and for a dry or halted run the first planned accounts (the plan an admin reviews before confirming). */
function keptDetails(result: JobResult, keepPlan: boolean): Record<string, unknown> {
  const details = result.details ?? {};
  const planned = result.planned ?? [];
  if (!keepPlan || planned.length === 0) return details;
  return { ...details, planned: planned.slice(0, PLANNED_KEPT), plannedTotal: planned.length };
}

function assertScope(definition: JobDefinition, organizationId: string | null): void {
  if (definition.scope === 'organization' && organizationId === null) {
    throw new AppError('invalid_input', `${definition.name} runs for one organization at a time: name the organization`);
  }
  if (definition.scope === 'deployment' && organizationId !== null) {
    throw new AppError('invalid_input', `${definition.name} runs for the whole deployment, not for one organization`);
  }
}

/** job_runs.started_by: who asked (the CLI's OS user, the admin) or what (the scheduler). */
function actorName(actor: Actor): string | null {
  return actor.id ? `${actor.type}:${actor.id}` : actor.type;
}

function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 3; e = e instanceof Error ? e.cause : undefined, depth++) {
    parts.push(e instanceof Error ? e.message : String(e));
  }
  const text = parts.filter(Boolean).join(': caused by: ') || 'unknown error';
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}
