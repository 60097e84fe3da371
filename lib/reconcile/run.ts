import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db';
import { getBreakerLimits } from '@/db/queries/account-end-dates';
import { getAccountTotals } from '@/db/queries/console-counts';
import { insertReconcileFindings } from '@/db/queries/reconcile-diff';
import { getBaselineRun, insertReconcileRun, releaseReconcileRunConfirmation, updateRunningReconcileRun } from '@/db/queries/reconcile-runs';
import { analyzeStagedRecords, deleteAbandonedStagedRecords, deleteStagedRecords } from '@/db/queries/reconcile-staging';
import type { ReconcileRun, ReconcileSource } from '@/db/schema';
import { recordEvent, type Actor } from '@/lib/audit/record-event';
import { AppError, isAppError } from '@/lib/errors';
import { checkBreaker } from '@/lib/governance/circuit-breaker';
import type { RecordSource } from '@/lib/sources/types';
import { applyRemediation, RECONCILE_JOB } from './apply';
import { takeReconcileConfirmation } from './confirm';
import { matchKeysOf, remediationOf, spokenFields } from './policy';
import { checkSanity, type SanityCheck } from './sanity';
import { stageRecords, type StageResult } from './stage';

export type ReconcileOptions = {
  organizationId: string;
  source: ReconcileSource;
  /** The opened source (a CSV file, the SCIM directory). */
  records: RecordSource;
  dryRun: boolean;
  now: Date;
  actor: Actor;
  trigger: 'cli' | 'schedule' | 'console';
  /** Proceed with this halted run of the source (an admin confirms it). */
  confirmRunId?: string | null;
  jobRunId?: string | null;
  filePath?: string | null;
  /** The file's checksum, known once the source has been read. */
  checksum?: () => string | null;
  batchSize?: number;
};

export type ReconcileOutcome = {
  runId: string;
  sourceId: string;
  source: string;
  dryRun: boolean;
  outcome: 'completed' | 'halted' | 'failed';
  halted: boolean;
  haltReason: string | null;
  confirmable: boolean;
  failureReason: string | null;
  counts: Record<string, number>;
  actions: Record<string, number>;
  newCount: number;
  resolvedCount: number;
  rowCount: number;
  badRowCount: number;
  badRows: { line: number; reason: string }[];
  previousRunId: string | null;
  confirmsRunId: string | null;
};

/** The message and its causes (drizzle wraps the driver's error as the cause). */
function messageOf(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 3; e = e instanceof Error ? e.cause : undefined, depth++) {
    const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    if (message && !parts.includes(message)) parts.push(message);
  }
  return parts.join(': ') || 'unknown error';
}

const utcDay = (d: Date) => d.toISOString().slice(0, 10);
/** From this many rows a run analyzes the staging table before the diff (autovacuum may not have yet). */
const ANALYZE_FROM_ROWS = 10_000;

/**
 * One reconciliation of a source, end to end: stream and stage the records (COPY), check the file
 * (sanity.ts), diff in SQL and store the findings with their planned action (db/queries/
 * reconcile-diff.ts), count what is new and resolved against the previous run, ask the circuit
 * breaker, and then (a real run that passed) remediate (apply.ts). A dry run takes the same path
 * and stops before acting, its findings kept like any run's. A halted run changed nothing and keeps
 * its findings and planned actions for the admin who confirms it. A run that fails (the reader
 * refuses the header, a read error) is recorded `failed` with why, and nobody is touched.
 */
export async function runReconciliation(db: Database, options: ReconcileOptions): Promise<ReconcileOutcome> {
  const { run, confirmed } = await startRun(db, options).catch(async (error: unknown) => {
    if (options.confirmRunId && isAppError(error)) await refused(db, options, error.message);
    throw error;
  });
  const base = { runId: run.id, sourceId: options.source.id, source: options.source.name, dryRun: options.dryRun, confirmsRunId: confirmed?.runId ?? null };
  let staged: StageResult | null = null;
  try {
    await deleteAbandonedStagedRecords(db);
    const started = performance.now();
    try {
      staged = await stageRecords(db, run.id, options.records, matchKeysOf(options.source));
    } catch (error) {
      return await fail(db, options, run, base, confirmed, messageOf(error), null);
    }
    if (staged.rowCount >= ANALYZE_FROM_ROWS) await analyzeStagedRecords(db, run.id);
    return await diffAndAct(db, options, run, base, staged, confirmed, performance.now() - started);
  } catch (error) {
    return await fail(db, options, run, base, confirmed, `unexpected error: ${messageOf(error)}`, staged);
  } finally {
    await deleteStagedRecords(db, run.id);
  }
}

/** A refused confirmation (not halted, not confirmable, already confirmed, in progress…), audited in the organization. */
async function refused(db: Database, options: ReconcileOptions, reason: string) {
  await recordEvent(db, {
    organizationId: options.organizationId,
    actor: options.actor,
    action: 'admin.action_refused',
    target: { type: 'reconcile_run', id: options.confirmRunId! },
    data: { action: 'reconcile.run_confirm', reason },
  });
}

async function startRun(db: Database, options: ReconcileOptions) {
  if (options.dryRun && options.confirmRunId) throw new AppError('invalid_input', 'a confirmation applies to a real run, not a dry run');
  const startedBy = options.actor.id ? `${options.actor.type}:${options.actor.id}` : options.actor.type;
  return db.transaction(async (tx) => {
    // One run of a source at a time (any instance): the lock is held until this transaction ends, and a
    // running run of the source (started less than 6 hours ago; older ones died) refuses the new one.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`reconcile:${options.source.id}`}, 0))`);
    await tx.execute(sql`update reconcile_runs set outcome = 'failed', failure_reason = 'interrupted (the process ended before the run finished)', finished_at = clock_timestamp()
      where source_id = ${options.source.id}::uuid and outcome = 'running' and started_at < now() - interval '6 hours'`);
    const [busy] = await tx.execute<{ id: string }>(sql`select id from reconcile_runs where source_id = ${options.source.id}::uuid and outcome = 'running' limit 1`);
    if (busy) throw new AppError('conflict', `a run of ${options.source.name} is in progress (${busy.id}); try again when it has finished`);
    const confirmed = options.confirmRunId ? await takeReconcileConfirmation(tx, { organizationId: options.organizationId, sourceId: options.source.id, runId: options.confirmRunId, confirmedBy: startedBy }) : null;
    const run = await insertReconcileRun(tx, {
      organizationId: options.organizationId,
      sourceId: options.source.id,
      dryRun: options.dryRun,
      trigger: options.trigger,
      startedBy,
      asOf: options.now,
      jobRunId: options.jobRunId ?? null,
      confirmsRunId: confirmed?.runId ?? null,
      filePath: options.filePath ?? null,
    });
    if (confirmed) {
      await recordEvent(tx, {
        organizationId: options.organizationId,
        actor: options.actor,
        action: 'reconcile.run_confirmed',
        target: { type: 'reconcile_run', id: confirmed.runId },
        data: { runId: run.id, sourceId: options.source.id, source: options.source.name, confirmedChanges: confirmed.changes },
      });
    }
    return { run, confirmed };
  });
}

type Base = Pick<ReconcileOutcome, 'runId' | 'sourceId' | 'source' | 'dryRun' | 'confirmsRunId'>;
type Confirmed = { runId: string; changes: number } | null;

async function diffAndAct(db: Database, options: ReconcileOptions, run: ReconcileRun, base: Base, staged: StageResult, confirmed: Confirmed, stageMs: number): Promise<ReconcileOutcome> {
  const { source } = options;
  const diffStarted = performance.now();
  const [lastCompleted, previous] = await Promise.all([
    getBaselineRun(db, source.id, run.startedAt, { completedOnly: true, excludeId: run.id }),
    getBaselineRun(db, source.id, run.startedAt, { excludeId: run.id }),
  ]);
  const totals = await insertReconcileFindings(db, {
    runId: run.id,
    keys: matchKeysOf(source),
    organizationId: options.organizationId,
    asOfDate: utcDay(options.now),
    spoken: spokenFields(source.mapping),
    actions: remediationOf(source.remediation),
    previousRunId: previous?.id ?? null,
    duplicateCandidates: staged.duplicateCandidates,
  });
  const duplicates = totals.duplicates;
  const sanity = checkSanity({ ...staged, duplicates, previousRowCount: lastCompleted?.rowCount ?? null, maxRowDropPercent: source.maxRowDropPercent });
  const resolvedCount = totals.resolvedCount;
  const halts = await haltsOf(db, options, sanity, totals.actions, confirmed);
  const counts = Object.fromEntries(['matched', 'drift', 'orphan', 'stale', 'missing', 'conflict'].map((c) => [c, totals.categories[c] ?? 0]));
  const { rowCount, badRowCount, badRows } = staged;
  const found = { rowCount, badRowCount, badRows, counts, newCount: totals.newCount, resolvedCount, previousRunId: previous?.id ?? null, fileChecksum: options.checksum?.() ?? null };
  const timings = { readAndStageMs: Math.round(stageMs), diffMs: Math.round(performance.now() - diffStarted) };
  const details = { sanity, breaker: halts.breaker, planned: totals.actions, timings };
  if (halts.reasons.length > 0 || options.dryRun) {
    const haltReason = halts.reasons.length ? halts.reasons.map((h) => h.message).join('; ') : null;
    const confirmable = halts.reasons.length > 0 && halts.reasons.every((h) => h.confirmable);
    const outcome = haltReason ? 'halted' : 'completed';
    return finish(db, options, run, base, { ...found, outcome, haltReason, confirmable, failureReason: null, actions: totals.actions, details });
  }
  const actStarted = performance.now();
  const applied = await applyRemediation(db, { runId: run.id, organizationId: options.organizationId, sourceName: source.name, actor: options.actor, now: options.now, batchSize: options.batchSize });
  const acted = { ...details, timings: { ...timings, remediationMs: Math.round(performance.now() - actStarted) } };
  return finish(db, options, run, base, { ...found, outcome: 'completed', haltReason: null, confirmable: false, failureReason: null, actions: applied, details: acted });
}

/** The failed sanity checks (a confirmed run passes a row-count drop) and the breaker's word on the planned changes. */
async function haltsOf(db: Database, options: ReconcileOptions, sanity: SanityCheck[], planned: Record<string, number>, confirmed: Confirmed) {
  const reasons: { message: string; confirmable: boolean }[] = sanity.filter((s) => !(confirmed && s.check === 'row_count_drop'));
  const changes = (planned.suspend ?? 0) + (planned.deprovision ?? 0);
  const { source } = options;
  const limits = source.maxSharePercent !== null ? { maxSharePercent: source.maxSharePercent, maxCount: source.maxCount } : await getBreakerLimits(db, options.organizationId);
  const population = changes === 0 ? 0 : (await getAccountTotals(db, options.organizationId)).byStatus.active;
  const decision = checkBreaker({ changes, population, limits, confirmedChanges: confirmed?.changes ?? null });
  if (decision.halt) reasons.push({ message: decision.reason, confirmable: true });
  return { reasons, breaker: { changes, population, limits, halt: decision.halt } };
}

type Ending = Pick<ReconcileOutcome, 'outcome' | 'haltReason' | 'confirmable' | 'failureReason' | 'counts' | 'actions' | 'newCount' | 'resolvedCount' | 'rowCount' | 'badRowCount' | 'badRows' | 'previousRunId'> & {
  fileChecksum: string | null;
  details: Record<string, unknown>;
};

async function finish(db: Database, options: ReconcileOptions, run: ReconcileRun, base: Base, end: Ending): Promise<ReconcileOutcome> {
  await db.transaction(async (tx) => {
    await updateRunningReconcileRun(tx, run.id, { ...end, finished: true });
    await recordEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: 'reconcile.run_finished',
      target: { type: 'reconcile_run', id: run.id },
      data: {
        runId: run.id,
        sourceId: base.sourceId,
        source: base.source,
        dryRun: base.dryRun,
        outcome: end.outcome,
        haltReason: end.haltReason,
        failureReason: end.failureReason,
        rowCount: end.rowCount,
        badRowCount: end.badRowCount,
        counts: end.counts,
        actions: end.actions,
        newCount: end.newCount,
        resolvedCount: end.resolvedCount,
        confirmsRunId: base.confirmsRunId,
        ...(options.jobRunId ? { job: RECONCILE_JOB, jobRunId: options.jobRunId } : {}),
      },
    });
  });
  return { ...base, ...end, halted: end.outcome === 'halted' };
}

/** A failed run: recorded with why (audited in its organization), its confirmation given back, nobody touched. */
async function fail(db: Database, options: ReconcileOptions, run: ReconcileRun, base: Base, confirmed: Confirmed, reason: string, staged: StageResult | null): Promise<ReconcileOutcome> {
  if (confirmed) await releaseReconcileRunConfirmation(db, confirmed.runId);
  const empty = { rowCount: staged?.rowCount ?? 0, badRowCount: staged?.badRowCount ?? 0, badRows: staged?.badRows ?? [] };
  return finish(db, options, run, base, {
    ...empty,
    outcome: 'failed',
    haltReason: null,
    confirmable: false,
    failureReason: reason.length > 2000 ? `${reason.slice(0, 2000)}…` : reason,
    counts: {},
    actions: {},
    newCount: 0,
    resolvedCount: 0,
    previousRunId: null,
    fileChecksum: options.checksum?.() ?? null,
    details: {},
  });
}
