import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { jobRuns } from '@/db/schema';
import type { JobRunStatus } from './job-runs';

/**
 * The console's reads of job_runs, always of one organization (a run id of another organization,
 * or of the deployment's housekeeping, is simply not found): its history newest first with a keyset
 * cursor, one run, and the newest real run of each job (the jobs table and the halted runs waiting
 * for an admin).
 */
const columns = {
  id: jobRuns.id,
  job: jobRuns.job,
  status: jobRuns.status,
  dryRun: jobRuns.dryRun,
  asOf: jobRuns.asOf,
  trigger: jobRuns.trigger,
  startedBy: jobRuns.startedBy,
  startedAt: jobRuns.startedAt,
  finishedAt: jobRuns.finishedAt,
  counts: jobRuns.counts,
  haltReason: jobRuns.haltReason,
  error: jobRuns.error,
  attempt: jobRuns.attempt,
  confirmsRunId: jobRuns.confirmsRunId,
  confirmedBy: jobRuns.confirmedBy,
  confirmedAt: jobRuns.confirmedAt,
};

export type ConsoleJobRun = Awaited<ReturnType<typeof findOrganizationJobRuns>>['rows'][number];
export type JobRunFilter = { jobs?: string[]; statuses?: JobRunStatus[]; limit: number; olderThan?: string | null };

/** Newest first; `olderThan` is the id of the last run of the previous page (keyset on started_at, id). */
export async function findOrganizationJobRuns(db: Tx, organizationId: string, filter: JobRunFilter) {
  const cursor = filter.olderThan
    ? db.select({ startedAt: jobRuns.startedAt, id: jobRuns.id }).from(jobRuns).where(and(eq(jobRuns.id, filter.olderThan), eq(jobRuns.organizationId, organizationId)))
    : null;
  const after = cursor ? (await cursor)[0] : undefined;
  const rows = await db
    .select(columns)
    .from(jobRuns)
    .where(
      and(
        eq(jobRuns.organizationId, organizationId),
        filter.jobs?.length ? inArray(jobRuns.job, filter.jobs) : undefined,
        filter.statuses?.length ? inArray(jobRuns.status, filter.statuses) : undefined,
        after ? or(lt(jobRuns.startedAt, after.startedAt), and(eq(jobRuns.startedAt, after.startedAt), lt(jobRuns.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(jobRuns.startedAt), desc(jobRuns.id))
    .limit(filter.limit + 1);
  const more = rows.length > filter.limit;
  const page = more ? rows.slice(0, filter.limit) : rows;
  return { rows: page, olderThan: more ? page.at(-1)!.id : null };
}

/** One run of the organization, with its details, or null (another organization's, the deployment's, none). */
export async function getOrganizationJobRun(db: Tx, organizationId: string, runId: string) {
  const [row] = await db
    .select({ ...columns, details: jobRuns.details })
    .from(jobRuns)
    .where(and(eq(jobRuns.id, runId), eq(jobRuns.organizationId, organizationId)));
  return row ?? null;
}

/** The runs that proceeded on a confirmation of this halted run (one unless a confirmed run failed and was confirmed again). */
export async function findConfirmingRuns(db: Tx, organizationId: string, haltedRunId: string) {
  return db
    .select({ id: jobRuns.id, status: jobRuns.status, startedAt: jobRuns.startedAt, counts: jobRuns.counts })
    .from(jobRuns)
    .where(and(eq(jobRuns.organizationId, organizationId), eq(jobRuns.confirmsRunId, haltedRunId)))
    .orderBy(desc(jobRuns.startedAt));
}

/**
 * The newest real (not dry) run of each named job in the organization (job_runs_org_job_started_idx),
 * with details: its outcome for the jobs table, and, when it halted and nobody confirmed it yet,
 * the run waiting for an admin (an older halted run is superseded by the newer runs of its job).
 */
export async function findLatestOrganizationRuns(db: Tx, organizationId: string, jobs: string[]) {
  if (jobs.length === 0) return [];
  const rows = await db.execute<{ id: string }>(sql`
    select r.id
    from jsonb_array_elements_text(${JSON.stringify(jobs)}::jsonb) as j(job)
    join lateral (
      select id from job_runs
      where organization_id = ${organizationId}::uuid and job = j.job and not dry_run
      order by started_at desc, id desc limit 1
    ) r on true`);
  if (rows.length === 0) return [];
  return db
    .select({ ...columns, details: jobRuns.details })
    .from(jobRuns)
    .where(and(eq(jobRuns.organizationId, organizationId), inArray(jobRuns.id, rows.map((r) => r.id))));
}
