import type { Database } from '@/db';
import type { Actor } from '@/lib/audit/record-event';

/**
 * The contract between the job engine (lib/jobs/engine.ts, pg-boss) and the jobs it runs. A job is a
 * plain function of `{ db, now, dryRun, ... }`: the clock is injected (tests never sleep), a dry run
 * goes through the same code path and changes nothing, and a run is idempotent and resumable (each
 * account is changed in its own unit of work with its audit trail, so a run killed in the middle
 * leaves no account half-processed and the next run finishes the work).
 */
export type JobInput = {
  db: Database;
  /** The clock of this run (`--as-of` for previews; dry runs only when it is not now). */
  now: Date;
  dryRun: boolean;
  /** The organization the run is for; null for deployment-wide housekeeping. */
  organizationId: string | null;
  /** The job_runs row of this run: every audit event a job writes carries it (data.runId). */
  runId: string;
  /** Who the changes are attributed to (the system for scheduled runs, the admin for requested ones). */
  actor: Actor;
  /** Set when an admin confirmed a halted run (`--confirm RUN_ID`): the breaker lets this run pass up to what was confirmed. */
  confirmed?: { runId: string; counts: Record<string, number> } | null;
};

/** What one account gets from a run, and why (the policy clause), for dry runs and previews. */
export type PlannedAction = {
  accountId: string;
  userName: string;
  /** e.g. warn | suspend | deprovision | revoke_role | end */
  action: string;
  /** The policy clause that decided it, in words ("no activity for 91 days ≥ suspend after 90"). */
  clause: string;
  [key: string]: unknown;
};

export type JobResult = {
  /** Counts by action (suspend: 3, warn: 10 …); for a dry run, what would be done. */
  counts: Record<string, number>;
  /** The circuit breaker stopped the run before it acted: why, in words. The run waits for an admin's --confirm. */
  halted?: { reason: string } | null;
  /** Dry runs (and halted runs): each account with the action it would get. */
  planned?: PlannedAction[];
  /** Job-specific summary stored on the run (policy in force, breaker figures …). */
  details?: Record<string, unknown>;
};

export type JobDefinition = {
  /** Stable name: the pg-boss queue, `roster jobs run NAME`, job_runs.job. */
  name: string;
  summary: string;
  /** organization: one run per organization per tick; deployment: one run for the deployment. */
  scope: 'organization' | 'deployment';
  /** Cron expression (UTC) for the scheduled tick. */
  schedule: string;
  run(input: JobInput): Promise<JobResult>;
  /**
   * Organization scope, optional: the organizations a scheduled tick fans out to (e.g. those with a
   * dormancy policy), so a tick makes no run where the job has nothing to do. Default: every organization.
   */
  selectOrganizations?(db: Database, now: Date): Promise<string[]>;
};
