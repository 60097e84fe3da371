import type { Tx } from '@/db';
import { findNewFindings, findReconcileFindings, findResolvedFindings, type FindingRow } from '@/db/queries/reconcile-findings';
import { findReconcileRuns, getReconcileRun } from '@/db/queries/reconcile-runs';
import { findReconcileSources, getReconcileSourceById } from '@/db/queries/reconcile-sources';
import type { ReconcileRun, ReconcileSource } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { isCategory, remediationOf, type Category } from './policy';

/**
 * The read side of reconciliation, for the CLI and the console: plain DTOs, every read scoped to
 * the organization (another organization's run or source is "not found"), lists in keyset pages.
 */
export type SourceDto = ReturnType<typeof toSourceDto>;
export type RunDto = ReturnType<typeof toRunDto>;
export type FindingDto = ReturnType<typeof toFindingDto>;

export function toSourceDto(s: ReconcileSource) {
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    mapping: s.mapping,
    remediation: remediationOf(s.remediation),
    filePath: s.filePath,
    scheduleEnabled: s.scheduleEnabled,
    maxRowDropPercent: s.maxRowDropPercent,
    breaker: s.maxSharePercent === null ? null : { maxSharePercent: s.maxSharePercent, maxCount: s.maxCount },
    createdBy: s.createdBy,
    createdAt: s.createdAt,
  };
}

export function toRunDto(r: ReconcileRun, source?: { name: string; kind: string }) {
  return {
    runId: r.id,
    sourceId: r.sourceId,
    ...(source ? { source: source.name, sourceKind: source.kind } : {}),
    dryRun: r.dryRun,
    trigger: r.trigger,
    startedBy: r.startedBy,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    outcome: r.outcome,
    halted: r.outcome === 'halted',
    haltReason: r.haltReason,
    confirmable: r.confirmable && r.confirmedAt === null && !r.dryRun,
    failureReason: r.failureReason,
    rowCount: r.rowCount,
    badRowCount: r.badRowCount,
    badRows: r.badRows,
    counts: r.counts,
    actions: r.actions,
    newCount: r.newCount,
    resolvedCount: r.resolvedCount,
    previousRunId: r.previousRunId,
    filePath: r.filePath,
    fileChecksum: r.fileChecksum,
    confirmsRunId: r.confirmsRunId,
    confirmedBy: r.confirmedBy,
    confirmedAt: r.confirmedAt,
    jobRunId: r.jobRunId,
  };
}

export function toFindingDto(f: FindingRow) {
  return {
    findingId: f.id,
    runId: f.runId,
    category: f.category,
    accountId: f.accountId,
    userName: f.userName,
    accountStatus: f.accountStatus,
    sourceKey: f.sourceKey,
    line: f.line,
    details: f.details,
    action: f.action,
    actionOutcome: f.actionOutcome,
    isNew: f.isNew,
    review: f.reviewState ? { state: f.reviewState, by: f.reviewedBy, at: f.reviewedAt, note: f.reviewNote } : null,
  };
}

export async function listSources(db: Tx, organizationId: string) {
  const rows = await findReconcileSources(db, organizationId);
  return rows.map((r) => ({ ...toSourceDto(r.source), lastRun: r.lastRun?.id ? r.lastRun : null }));
}

export async function getSourceOrThrow(db: Tx, organizationId: string, id: string) {
  const source = isUuid(id) ? await getReconcileSourceById(db, organizationId, id) : null;
  if (!source) throw new AppError('not_found', `no reconciliation source ${id} in this organization`);
  return toSourceDto(source);
}

/** Runs newest first; `cursor` is the previous page's nextCursor. */
export async function listRuns(db: Tx, organizationId: string, options: { sourceId?: string; limit?: number; cursor?: string | null } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 200);
  const before = decodeRunCursor(options.cursor ?? null);
  const rows = await findReconcileRuns(db, organizationId, { sourceId: options.sourceId, limit: limit + 1, before });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { runs: page.map((r) => toRunDto(r.run, { name: r.sourceName, kind: r.sourceKind })), nextCursor: rows.length > limit && last ? `${last.run.startedAt.toISOString()}_${last.run.id}` : null };
}

function decodeRunCursor(cursor: string | null) {
  if (!cursor) return null;
  const [at, id] = cursor.split('_');
  const startedAt = new Date(at ?? '');
  if (!id || !isUuid(id) || Number.isNaN(startedAt.getTime())) throw new AppError('invalid_input', 'not a cursor of this list');
  return { startedAt, id };
}

/** One run with its source and figures (counts by category, actions, new and resolved). */
export async function getRunDetailOrThrow(db: Tx, organizationId: string, runId: string) {
  const run = isUuid(runId) ? await getReconcileRun(db, organizationId, runId) : null;
  if (!run) throw new AppError('not_found', `no reconciliation run ${runId} in this organization`);
  const source = await getReconcileSourceById(db, organizationId, run.sourceId);
  return toRunDto(run, source ? { name: source.name, kind: source.kind } : undefined);
}

const pageLimit = (limit: number | undefined) => Math.min(Math.max(limit ?? 100, 1), 1000);
const decodeId = (cursor: string | null | undefined) => {
  if (!cursor) return undefined;
  if (!/^\d{1,18}$/.test(cursor)) throw new AppError('invalid_input', 'not a cursor of this list');
  return Number(cursor);
};

/** A page of a run's findings (matched findings are counted, never listed), optionally of one category. */
export async function findingsPage(db: Tx, organizationId: string, options: { runId: string; category?: string; cursor?: string | null; limit?: number }) {
  if (!isUuid(options.runId) || !(await getReconcileRun(db, organizationId, options.runId))) throw new AppError('not_found', `no reconciliation run ${options.runId} in this organization`);
  if (options.category !== undefined && !isCategory(options.category)) throw new AppError('invalid_input', `category must be one of drift, orphan, stale, missing, conflict (got ${options.category})`);
  const limit = pageLimit(options.limit);
  const rows = await findReconcileFindings(db, organizationId, { runId: options.runId, category: options.category as Category | undefined, afterId: decodeId(options.cursor), limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { findings: page.map(toFindingDto), nextCursor: rows.length > limit ? String(page.at(-1)!.id) : null };
}

/** What changed since the previous run of the source: its new findings, and the previous run's that are gone. */
export async function previousRunDiff(db: Tx, organizationId: string, runId: string, options: { limit?: number } = {}) {
  const run = await getRunDetailOrThrow(db, organizationId, runId);
  const limit = pageLimit(options.limit);
  const fresh = await findNewFindings(db, organizationId, { runId, limit });
  const resolved = run.previousRunId ? await findResolvedFindings(db, organizationId, { runId, previousRunId: run.previousRunId, limit }) : [];
  return { runId, previousRunId: run.previousRunId, newCount: run.newCount, resolvedCount: run.resolvedCount, new: fresh.map(toFindingDto), resolved: resolved.map(toFindingDto) };
}
