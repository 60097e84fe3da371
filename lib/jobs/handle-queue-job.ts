import type PgBoss from 'pg-boss';
import type { Database } from '@/db';
import { organizationExists } from '@/db/queries/organizations';
import type { Actor } from '@/lib/audit/record-event';
import { fanOut, type QueueJobData } from './fan-out';
import { runJob } from './run-job';
import type { JobDefinition } from './types';

export type HandlerDeps = { boss: PgBoss; db: Database; definition: JobDefinition; clock: () => Date; log: (line: string) => void };

/** Scheduled runs are the system's, named after the job, in job_runs and the audit trail. */
export function scheduleActor(definition: JobDefinition): Actor {
  return { type: 'system', id: `job:${definition.name}` };
}

/**
 * What a worker does with one job of a job's queue. A tick (no data) of an organization-scoped job
 * fans out to one job per organization, keyed by the tick's own job id (the tick exists once: pg-boss
 * sends each cron tick once across instances, and a job is fetched by one worker, SKIP LOCKED).
 * A deployment tick, or one organization's job, is executed through runJob with its pg-boss attempt;
 * a failed run throws, so pg-boss fails the job and retries it with backoff.
 */
export async function handleQueueJob(deps: HandlerDeps, job: PgBoss.JobWithMetadata<QueueJobData | null>): Promise<object> {
  const { definition } = deps;
  const organizationId = job.data?.organizationId ?? null;
  if (definition.scope === 'organization' && organizationId === null) {
    const organizations = await fanOut(deps.boss, deps.db, definition, job.id, deps.clock());
    return { tick: job.id, organizations };
  }
  if (organizationId !== null && !(await organizationExists(deps.db, organizationId))) {
    return { skipped: 'the organization was deleted after the tick fanned out' };
  }
  const outcome = await runJob(deps.db, definition, {
    organizationId,
    trigger: 'schedule',
    actor: scheduleActor(definition),
    now: deps.clock(),
    queueJobId: job.id,
    attempt: job.retryCount + 1,
  });
  if (outcome.status === 'failed') {
    deps.log(`job ${definition.name} failed (run ${outcome.runId}, attempt ${outcome.attempt}): ${outcome.error}`);
    throw new Error(`run ${outcome.runId} failed: ${outcome.error}`);
  }
  return { runId: outcome.runId, status: outcome.status, counts: outcome.counts };
}
