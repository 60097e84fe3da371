import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { reconcileRuns, reconcileSources, type ReconcileRun } from '@/db/schema';

/** The reconcile_runs table: one row per reconciliation of a source (lib/reconcile/run.ts). */
export type NewRunValues = {
  organizationId: string;
  sourceId: string;
  dryRun: boolean;
  trigger: string;
  startedBy: string | null;
  asOf: Date;
  jobRunId: string | null;
  confirmsRunId: string | null;
  filePath: string | null;
};

export async function insertReconcileRun(db: Tx, values: NewRunValues): Promise<ReconcileRun> {
  const [row] = await db.insert(reconcileRuns).values(values).returning();
  return row!;
}

export type RunEnd = Partial<
  Pick<
    ReconcileRun,
    'outcome' | 'haltReason' | 'confirmable' | 'failureReason' | 'rowCount' | 'badRowCount' | 'badRows' | 'counts' | 'actions' | 'newCount' | 'resolvedCount' | 'previousRunId' | 'fileChecksum' | 'details'
  >
>;

/** Records how a running run ended (or what it has found so far); only a row still `running` changes. */
export async function updateRunningReconcileRun(db: Tx, id: string, values: RunEnd & { finished?: boolean }): Promise<ReconcileRun | null> {
  const { finished, ...rest } = values;
  const [row] = await db
    .update(reconcileRuns)
    .set({ ...rest, ...(finished ? { finishedAt: sql`clock_timestamp()` } : {}) })
    .where(and(eq(reconcileRuns.id, id), eq(reconcileRuns.outcome, 'running')))
    .returning();
  return row ?? null;
}

export async function getReconcileRun(db: Tx, organizationId: string | null, id: string, options: { forUpdate?: boolean } = {}): Promise<ReconcileRun | null> {
  const query = db
    .select()
    .from(reconcileRuns)
    .where(and(eq(reconcileRuns.id, id), organizationId ? eq(reconcileRuns.organizationId, organizationId) : undefined));
  const [row] = await (options.forUpdate ? query.for('update') : query);
  return row ?? null;
}

/** Marks a halted run confirmed, once (null when someone else confirmed it first). */
export async function markReconcileRunConfirmed(db: Tx, id: string, confirmedBy: string | null) {
  const [row] = await db
    .update(reconcileRuns)
    .set({ confirmedBy, confirmedAt: sql`clock_timestamp()` })
    .where(and(eq(reconcileRuns.id, id), eq(reconcileRuns.outcome, 'halted'), isNull(reconcileRuns.confirmedAt)))
    .returning({ id: reconcileRuns.id });
  return row ?? null;
}

/** Gives a confirmation back (the confirmed run failed): the halted run can be confirmed again. */
export async function releaseReconcileRunConfirmation(db: Tx, id: string) {
  await db.update(reconcileRuns).set({ confirmedBy: null, confirmedAt: null }).where(eq(reconcileRuns.id, id));
}

/**
 * The run a new run of the source is compared with: the last real (not dry) run before `before`
 * that has findings (completed or halted). `completedOnly`: the last completed one (the row-count check).
 */
export async function getBaselineRun(db: Tx, sourceId: string, before: Date, options: { completedOnly?: boolean; excludeId?: string } = {}): Promise<ReconcileRun | null> {
  const outcomes = options.completedOnly ? (['completed'] as const) : (['completed', 'halted'] as const);
  const [row] = await db
    .select()
    .from(reconcileRuns)
    .where(
      and(
        eq(reconcileRuns.sourceId, sourceId),
        eq(reconcileRuns.dryRun, false),
        inArray(reconcileRuns.outcome, [...outcomes]),
        lt(reconcileRuns.startedAt, before),
        options.excludeId ? sql`${reconcileRuns.id} <> ${options.excludeId}::uuid` : undefined,
      ),
    )
    .orderBy(desc(reconcileRuns.startedAt), desc(reconcileRuns.id))
    .limit(1);
  return row ?? null;
}

/** Runs of an organization (or one source), newest first, keyset by (started_at, id). */
export async function findReconcileRuns(db: Tx, organizationId: string, filter: { sourceId?: string; limit: number; before?: { startedAt: Date; id: string } | null }) {
  const before = filter.before;
  return db
    .select({ run: reconcileRuns, sourceName: reconcileSources.name, sourceKind: reconcileSources.kind })
    .from(reconcileRuns)
    .innerJoin(reconcileSources, eq(reconcileSources.id, reconcileRuns.sourceId))
    .where(
      and(
        eq(reconcileRuns.organizationId, organizationId),
        filter.sourceId ? eq(reconcileRuns.sourceId, filter.sourceId) : undefined,
        before ? or(lt(reconcileRuns.startedAt, before.startedAt), and(eq(reconcileRuns.startedAt, before.startedAt), lt(reconcileRuns.id, before.id))) : undefined,
      ),
    )
    .orderBy(desc(reconcileRuns.startedAt), desc(reconcileRuns.id))
    .limit(filter.limit);
}

/** The halted, confirmable, unconfirmed runs a job run left (confirming the job run confirms them). */
export async function findHaltedRunsOfJobRun(db: Tx, jobRunId: string) {
  return db
    .select({ id: reconcileRuns.id, sourceId: reconcileRuns.sourceId })
    .from(reconcileRuns)
    .where(and(eq(reconcileRuns.jobRunId, jobRunId), eq(reconcileRuns.outcome, 'halted'), eq(reconcileRuns.confirmable, true), isNull(reconcileRuns.confirmedAt)));
}
