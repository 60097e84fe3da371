import { findOrganizationsWithExpiredGrants } from '@/db/queries/job-candidates';
import { findExpiredAssignments } from '@/db/queries/role-assignments';
import { AppError } from '@/lib/errors';
import { revokeExpiredGrants } from '@/lib/lifecycle/access/gate';
import { inTransaction } from '@/lib/lifecycle/context';
import type { JobDefinition, JobInput, JobResult, PlannedAction } from '../types';

/** Grants revoked per unit of work: one DELETE … RETURNING and one audit insert each. */
export const ROLE_EXPIRY_BATCH = 2_000;

export type RoleExpiryOptions = {
  batchSize?: number;
  /** Called after each full batch has committed, before the next (tests stop a run here to play a crash). */
  afterBatch?: (revoked: number) => void | Promise<void>;
};

const clause = (expiresAt: Date) => `expired at ${expiresAt.toISOString()}`;

/**
 * Revokes the organization's grants whose end has passed (expires_at <= now), through the access
 * gate (revokeExpiredGrants), in batches that each commit with their `role.expired` events: a run
 * killed between batches leaves every grant either revoked and audited or untouched, and the next
 * run finishes. Idempotent: a revoked grant is gone, so a second run finds nothing. A dry run lists
 * exactly what the same predicate selects (db/queries/role-assignments.ts: lapsedBy) and changes nothing.
 * Expired grants already count for nothing wherever roles are read; this job cleans them up and
 * puts their end in the audit trail within a minute.
 */
export async function runRoleExpiry(input: JobInput, options: RoleExpiryOptions = {}): Promise<JobResult> {
  const organizationId = input.organizationId;
  if (!organizationId) throw new AppError('invalid_input', 'role-expiry runs for one organization.');
  if (input.dryRun) {
    const due = await findExpiredAssignments(input.db, organizationId, input.now);
    const planned: PlannedAction[] = due.map((a) => ({
      accountId: a.accountId,
      userName: a.userName,
      action: 'revoke_role',
      clause: clause(a.expiresAt!),
      role: a.roleKey,
      source: a.source,
      sourceRef: a.sourceRef,
      expiresAt: a.expiresAt!.toISOString(),
    }));
    return { counts: { revoke_role: planned.length }, planned };
  }
  const limit = options.batchSize ?? ROLE_EXPIRY_BATCH;
  let revoked = 0;
  let batches = 0;
  for (;;) {
    const batch = await inTransaction(input.db, { actor: input.actor, now: input.now }, (tx, ctx) => revokeExpiredGrants(tx, { organizationId, limit, runId: input.runId }, ctx));
    revoked += batch.length;
    if (batch.length > 0) batches += 1;
    if (batch.length < limit) break;
    await options.afterBatch?.(batch.length);
  }
  return { counts: { revoke_role: revoked }, details: { batches, batchSize: limit } };
}

export const roleExpiryJob: JobDefinition = {
  name: 'role-expiry',
  summary: 'Revoke role grants whose end has passed (role.expired), within a minute of it',
  scope: 'organization',
  schedule: '* * * * *',
  selectOrganizations: (db, now) => findOrganizationsWithExpiredGrants(db, now),
  run: (input) => runRoleExpiry(input),
};
