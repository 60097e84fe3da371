import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { reconcileRuns, reconcileSources, type NewReconcileSource, type ReconcileSource } from '@/db/schema';

/** The reconcile_sources table (lib/reconcile/sources.ts validates and audits). */
export async function insertReconcileSource(db: Tx, values: NewReconcileSource): Promise<ReconcileSource | null> {
  const [row] = await db.insert(reconcileSources).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function getReconcileSourceByName(db: Tx, organizationId: string, name: string): Promise<ReconcileSource | null> {
  const [row] = await db
    .select()
    .from(reconcileSources)
    .where(and(eq(reconcileSources.organizationId, organizationId), sql`lower(${reconcileSources.name}) = lower(${name})`));
  return row ?? null;
}

export async function getReconcileSourceById(db: Tx, organizationId: string, id: string): Promise<ReconcileSource | null> {
  const [row] = await db.select().from(reconcileSources).where(and(eq(reconcileSources.organizationId, organizationId), eq(reconcileSources.id, id)));
  return row ?? null;
}

/** The organization's sources by name, each with its last run (id, outcome, when). */
export async function findReconcileSources(db: Tx, organizationId: string) {
  const last = db
    .select({ id: reconcileRuns.id, outcome: reconcileRuns.outcome, startedAt: reconcileRuns.startedAt, dryRun: reconcileRuns.dryRun, counts: reconcileRuns.counts })
    .from(reconcileRuns)
    .where(eq(reconcileRuns.sourceId, reconcileSources.id))
    .orderBy(sql`${reconcileRuns.startedAt} desc`)
    .limit(1)
    .as('last');
  return db
    .select({ source: reconcileSources, lastRun: { id: last.id, outcome: last.outcome, startedAt: last.startedAt, dryRun: last.dryRun, counts: last.counts } })
    .from(reconcileSources)
    .leftJoinLateral(last, sql`true`)
    .where(eq(reconcileSources.organizationId, organizationId))
    .orderBy(asc(sql`lower(${reconcileSources.name})`));
}

/** Sources the scheduled `reconcile` job reads: a file path and the schedule on. */
export async function findScheduledReconcileSources(db: Tx, organizationId?: string) {
  return db
    .select()
    .from(reconcileSources)
    .where(and(eq(reconcileSources.scheduleEnabled, true), sql`${reconcileSources.filePath} is not null`, organizationId ? eq(reconcileSources.organizationId, organizationId) : undefined))
    .orderBy(asc(reconcileSources.organizationId), asc(reconcileSources.name));
}

/** The organizations with a scheduled source (the `reconcile` job's tick fans out to these). */
export async function findOrganizationsWithScheduledSources(db: Tx): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: reconcileSources.organizationId })
    .from(reconcileSources)
    .where(and(eq(reconcileSources.scheduleEnabled, true), sql`${reconcileSources.filePath} is not null`));
  return rows.map((r) => r.id);
}
