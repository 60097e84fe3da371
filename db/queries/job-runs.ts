import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { jobRuns, organizations } from '@/db/schema';

/** The job_runs table: one row per attempt of a job, for one organization or the deployment (lib/jobs/run-job.ts). */
export type JobRunStatus = (typeof jobRuns.status.enumValues)[number];

const columns = {
  id: jobRuns.id,
  job: jobRuns.job,
  organizationId: jobRuns.organizationId,
  organizationSlug: organizations.slug,
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
  queueJobId: jobRuns.queueJobId,
  confirmsRunId: jobRuns.confirmsRunId,
  confirmedBy: jobRuns.confirmedBy,
  confirmedAt: jobRuns.confirmedAt,
  details: jobRuns.details,
};

export type JobRunRow = Awaited<ReturnType<typeof findJobRuns>>[number];

export async function insertJobRun(
  db: Tx,
  values: {
    job: string;
    organizationId: string | null;
    dryRun: boolean;
    asOf: Date;
    trigger: string;
    startedBy: string | null;
    attempt: number;
    queueJobId: string | null;
    confirmsRunId: string | null;
  },
) {
  const [row] = await db.insert(jobRuns).values(values).returning({ id: jobRuns.id, startedAt: jobRuns.startedAt });
  return row!;
}

/** Records how a running run ended; only a row still `running` changes. */
export async function finishJobRun(
  db: Tx,
  id: string,
  values: { status: Exclude<JobRunStatus, 'running'>; counts: Record<string, number>; haltReason: string | null; error: string | null; details: Record<string, unknown> },
) {
  const [row] = await db
    .update(jobRuns)
    .set({ ...values, finishedAt: sql`clock_timestamp()` })
    .where(and(eq(jobRuns.id, id), eq(jobRuns.status, 'running')))
    .returning({ id: jobRuns.id, finishedAt: jobRuns.finishedAt });
  return row ?? null;
}

/**
 * An earlier attempt of the same pg-boss job still marked running had its process stop under it
 * (killed, or pg-boss expired the job): it is failed, so history never shows a run forever "running".
 */
export async function failInterruptedAttempts(db: Tx, key: { job: string; organizationId: string | null; queueJobId: string }) {
  const rows = await db
    .update(jobRuns)
    .set({ status: 'failed', error: 'interrupted: the process running this attempt stopped before it finished', finishedAt: sql`clock_timestamp()` })
    .where(
      and(
        eq(jobRuns.job, key.job),
        key.organizationId === null ? isNull(jobRuns.organizationId) : eq(jobRuns.organizationId, key.organizationId),
        eq(jobRuns.queueJobId, key.queueJobId),
        eq(jobRuns.status, 'running'),
      ),
    )
    .returning({ id: jobRuns.id });
  return rows.length;
}

/** The run, locked for this transaction (a confirmation takes a halted run once). */
export async function getJobRunForUpdate(db: Tx, id: string) {
  const [row] = await db
    .select({ id: jobRuns.id, job: jobRuns.job, organizationId: jobRuns.organizationId, status: jobRuns.status, dryRun: jobRuns.dryRun, counts: jobRuns.counts, confirmedAt: jobRuns.confirmedAt })
    .from(jobRuns)
    .where(eq(jobRuns.id, id))
    .for('update');
  return row ?? null;
}

export async function markJobRunConfirmed(db: Tx, id: string, confirmedBy: string | null) {
  const [row] = await db
    .update(jobRuns)
    .set({ confirmedBy, confirmedAt: sql`clock_timestamp()` })
    .where(and(eq(jobRuns.id, id), eq(jobRuns.status, 'halted'), isNull(jobRuns.confirmedAt)))
    .returning({ id: jobRuns.id });
  return row ?? null;
}

/** A confirmed run that failed gives its confirmation back: the halted run can be confirmed again. */
export async function releaseJobRunConfirmation(db: Tx, id: string) {
  await db.update(jobRuns).set({ confirmedBy: null, confirmedAt: null }).where(and(eq(jobRuns.id, id), eq(jobRuns.status, 'halted')));
}

export async function getJobRun(db: Tx, id: string) {
  const [row] = await db.select(columns).from(jobRuns).leftJoin(organizations, eq(organizations.id, jobRuns.organizationId)).where(eq(jobRuns.id, id));
  return row ?? null;
}

/** Newest first (job_runs_org_job_started_idx with an organization, job_runs_started_idx without). */
export async function findJobRuns(db: Tx, filter: { job?: string; organizationId?: string; limit: number }) {
  const where = and(filter.job ? eq(jobRuns.job, filter.job) : undefined, filter.organizationId ? eq(jobRuns.organizationId, filter.organizationId) : undefined);
  return db
    .select(columns)
    .from(jobRuns)
    .leftJoin(organizations, eq(organizations.id, jobRuns.organizationId))
    .where(where)
    .orderBy(desc(jobRuns.startedAt), desc(jobRuns.id))
    .limit(filter.limit);
}

/** The latest run of each named job (any organization), for `roster jobs list`. */
export async function findLastRuns(db: Tx, jobs: string[]) {
  if (jobs.length === 0) return [];
  const rows = await db.execute<{ job: string; id: string; status: JobRunStatus; started_at: string; organization_slug: string | null }>(sql`
    select j.job, r.id, r.status, r.started_at, o.slug as organization_slug
    from jsonb_array_elements_text(${JSON.stringify(jobs)}::jsonb) as j(job)
    join lateral (
      select id, status, started_at, organization_id from job_runs
      where job_runs.job = j.job order by started_at desc limit 1
    ) r on true
    left join organizations o on o.id = r.organization_id`);
  return rows.map((r) => ({ job: r.job, runId: r.id, status: r.status, startedAt: new Date(r.started_at), organizationSlug: r.organization_slug }));
}
