import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accounts, reconcileFindings, type ReconcileCategory } from '@/db/schema';

/** The reconcile_findings table: what a run found (db/queries/reconcile-diff.ts writes them). */
const columns = {
  id: reconcileFindings.id,
  runId: reconcileFindings.runId,
  category: reconcileFindings.category,
  accountId: reconcileFindings.accountId,
  userName: accounts.userName,
  accountStatus: accounts.status,
  sourceKey: reconcileFindings.sourceKey,
  line: reconcileFindings.line,
  details: reconcileFindings.details,
  action: reconcileFindings.action,
  actionOutcome: reconcileFindings.actionOutcome,
  isNew: reconcileFindings.isNew,
  reviewState: reconcileFindings.reviewState,
  reviewedBy: reconcileFindings.reviewedBy,
  reviewedAt: reconcileFindings.reviewedAt,
  reviewNote: reconcileFindings.reviewNote,
};

export type FindingRow = Awaited<ReturnType<typeof findReconcileFindings>>[number];

/** One page of a run's findings in id order (keyset: after `afterId`), optionally of one category. */
export async function findReconcileFindings(db: Tx, organizationId: string, filter: { runId: string; category?: ReconcileCategory; afterId?: number; limit: number }) {
  return db
    .select(columns)
    .from(reconcileFindings)
    .leftJoin(accounts, and(eq(accounts.id, reconcileFindings.accountId), eq(accounts.organizationId, reconcileFindings.organizationId)))
    .where(
      and(
        eq(reconcileFindings.organizationId, organizationId),
        eq(reconcileFindings.runId, filter.runId),
        filter.category ? eq(reconcileFindings.category, filter.category) : undefined,
        filter.afterId !== undefined ? gt(reconcileFindings.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(reconcileFindings.id))
    .limit(filter.limit);
}

export async function getReconcileFinding(db: Tx, organizationId: string, id: number, options: { forUpdate?: boolean } = {}) {
  const query = db
    .select({ id: reconcileFindings.id, runId: reconcileFindings.runId, category: reconcileFindings.category, accountId: reconcileFindings.accountId, action: reconcileFindings.action, reviewState: reconcileFindings.reviewState })
    .from(reconcileFindings)
    .where(and(eq(reconcileFindings.organizationId, organizationId), eq(reconcileFindings.id, id)));
  const [row] = await (options.forUpdate ? query.for('update') : query);
  return row ?? null;
}

/** The findings of a run planned for `action`, in id order after `afterId` (the remediation's batches). */
export async function findPlannedFindings(db: Tx, runId: string, action: string, afterId: number, limit: number) {
  return db
    .select({ id: reconcileFindings.id, category: reconcileFindings.category, accountId: reconcileFindings.accountId, details: reconcileFindings.details })
    .from(reconcileFindings)
    .where(and(eq(reconcileFindings.runId, runId), eq(reconcileFindings.action, action), gt(reconcileFindings.id, afterId)))
    .orderBy(asc(reconcileFindings.id))
    .limit(limit);
}

/** What came of the planned action on these findings (applied | skipped, with why). */
export async function setFindingOutcomes(db: Tx, runId: string, outcomes: { id: number; outcome: 'applied' | 'skipped'; why?: string | null }[]) {
  if (outcomes.length === 0) return;
  const values = sql.join(
    outcomes.map((o) => sql`(${o.id}::bigint, ${o.outcome}::text, ${o.why ?? null}::text)`),
    sql`, `,
  );
  await db.execute(sql`update reconcile_findings f set action_outcome = v.outcome,
      details = case when v.why is null then f.details else f.details || jsonb_build_object('skipped', v.why) end
    from (values ${values}) as v(id, outcome, why) where f.run_id = ${runId}::uuid and f.id = v.id`);
}

/** Opens a review item on each finding of the run planned for review; returns how many. */
export async function openFindingReviews(db: Tx, runId: string): Promise<number> {
  const rows = await db
    .update(reconcileFindings)
    .set({ reviewState: 'open', actionOutcome: 'applied' })
    .where(and(eq(reconcileFindings.runId, runId), eq(reconcileFindings.action, 'review')))
    .returning({ id: reconcileFindings.id });
  return rows.length;
}

export async function resolveFindingReview(db: Tx, organizationId: string, id: number, values: { state: 'resolved' | 'dismissed'; by: string | null; note: string | null }) {
  const [row] = await db
    .update(reconcileFindings)
    .set({ reviewState: values.state, reviewedBy: values.by, reviewedAt: sql`clock_timestamp()`, reviewNote: values.note })
    .where(and(eq(reconcileFindings.organizationId, organizationId), eq(reconcileFindings.id, id), eq(reconcileFindings.reviewState, 'open')))
    .returning({ id: reconcileFindings.id });
  return row ?? null;
}

/** A previous run's findings this run no longer has (resolved), one page in id order. */
export async function findResolvedFindings(db: Tx, organizationId: string, input: { runId: string; previousRunId: string; afterId?: number; limit: number }) {
  return db
    .select(columns)
    .from(reconcileFindings)
    .leftJoin(accounts, and(eq(accounts.id, reconcileFindings.accountId), eq(accounts.organizationId, reconcileFindings.organizationId)))
    .where(
      and(
        eq(reconcileFindings.organizationId, organizationId),
        eq(reconcileFindings.runId, input.previousRunId),
        input.afterId !== undefined ? gt(reconcileFindings.id, input.afterId) : undefined,
        sql`not exists (select 1 from reconcile_findings c where c.run_id = ${input.runId}::uuid and c.finding_key = ${reconcileFindings.findingKey})`,
      ),
    )
    .orderBy(asc(reconcileFindings.id))
    .limit(input.limit);
}

/** A run's new findings (not in the previous run), one page in id order. */
export async function findNewFindings(db: Tx, organizationId: string, input: { runId: string; afterId?: number; limit: number }) {
  return db
    .select(columns)
    .from(reconcileFindings)
    .leftJoin(accounts, and(eq(accounts.id, reconcileFindings.accountId), eq(accounts.organizationId, reconcileFindings.organizationId)))
    .where(
      and(
        eq(reconcileFindings.organizationId, organizationId),
        eq(reconcileFindings.runId, input.runId),
        eq(reconcileFindings.isNew, true),
        input.afterId !== undefined ? gt(reconcileFindings.id, input.afterId) : undefined,
      ),
    )
    .orderBy(asc(reconcileFindings.id))
    .limit(input.limit);
}

/** The accounts of `ids` still active, locked FOR UPDATE in id order (a remediation batch acts on these). */
export async function lockActiveAccounts(db: Tx, organizationId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: accounts.id, status: accounts.status })
    .from(accounts)
    .where(and(eq(accounts.organizationId, organizationId), inArray(accounts.id, ids), eq(accounts.status, 'active')))
    .orderBy(asc(accounts.id))
    .for('update');
}
