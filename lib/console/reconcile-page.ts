import type { Tx } from '@/db';
import { findAccountsByIds } from '@/db/queries/accounts';
import { isAppError } from '@/lib/errors';
import { actionableCategories, allowedRemediations } from '@/lib/reconcile/policy';
import { findingsPage, getRunDetailOrThrow, getSourceOrThrow, listRuns, listSources, previousRunDiff, type FindingDto } from '@/lib/reconcile/read';

/**
 * The reconciliation pages' data (`/admin/reconciliation`, `/admin/reconciliation/runs/[runId]`),
 * one function each, through lib/reconcile/read.ts: every read scoped to the organization, another
 * organization's run is `null` (the page answers 404). Findings come in keyset pages.
 */
export const RECONCILE_RUNS_PAGE_SIZE = 20;
export const FINDINGS_PAGE_SIZE = 50;
export const DIFF_SHOWN = 20;

const notFound = <T>(promise: Promise<T>): Promise<T | null> => promise.catch((error: unknown) => (isAppError(error) && error.code === 'not_found' ? null : Promise.reject(error)));

export async function loadReconcilePage(db: Tx, organizationId: string, options: { older?: string | null } = {}) {
  const [sources, runs] = await Promise.all([
    listSources(db, organizationId),
    listRuns(db, organizationId, { limit: RECONCILE_RUNS_PAGE_SIZE, cursor: options.older ?? null }).catch((error: unknown) => {
      if (isAppError(error) && error.code === 'invalid_input') return listRuns(db, organizationId, { limit: RECONCILE_RUNS_PAGE_SIZE });
      throw error;
    }),
  ]);
  return { sources, runs: runs.runs, nextCursor: runs.nextCursor, awaiting: runs.runs.filter((r) => r.confirmable) };
}

/** The choices of the new-source form: each category with the remediations its policy allows. */
export function remediationChoices() {
  return actionableCategories.map((category) => ({ category, allowed: [...allowedRemediations[category]] }));
}

/** Account ids a page of findings names besides its own (conflict candidates), with their user names. */
async function candidateNames(db: Tx, organizationId: string, findings: FindingDto[]) {
  const ids = new Set<string>();
  for (const f of findings) {
    const candidates = (f.details as { candidates?: unknown }).candidates;
    if (Array.isArray(candidates)) for (const id of candidates) if (typeof id === 'string') ids.add(id);
  }
  if (ids.size === 0) return {};
  const rows = await findAccountsByIds(db, organizationId, [...ids].slice(0, 500));
  return Object.fromEntries(rows.map((a) => [a.id, a.userName]));
}

export async function loadReconcileRunPage(db: Tx, organizationId: string, runId: string, options: { category?: string | null; after?: string | null } = {}) {
  const run = await notFound(getRunDetailOrThrow(db, organizationId, runId));
  if (!run) return null;
  const category = options.category && (actionableCategories as readonly string[]).includes(options.category) ? options.category : undefined;
  const page = await findingsPage(db, organizationId, { runId, category, cursor: options.after ?? null, limit: FINDINGS_PAGE_SIZE }).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'invalid_input') return findingsPage(db, organizationId, { runId, category, limit: FINDINGS_PAGE_SIZE });
    throw error;
  });
  const [diff, source, names] = await Promise.all([
    previousRunDiff(db, organizationId, runId, { limit: DIFF_SHOWN }),
    notFound(getSourceOrThrow(db, organizationId, run.sourceId)),
    candidateNames(db, organizationId, page.findings),
  ]);
  return { run, source, category: category ?? null, findings: page.findings, nextCursor: page.nextCursor, diff, candidateNames: names as Record<string, string> };
}
