import { findOrganizationsWithEndedAccounts } from '@/db/queries/job-candidates';
import { findAccountsPastEndDate, getBreakerLimits } from '@/db/queries/account-end-dates';
import { getAccountTotals } from '@/db/queries/console-counts';
import { AppError } from '@/lib/errors';
import { checkBreaker } from '@/lib/governance/circuit-breaker';
import { endAccount } from '@/lib/lifecycle/account/end-account';
import { inTransaction } from '@/lib/lifecycle/context';
import type { JobDefinition, JobInput, JobResult, PlannedAction } from '../types';

/**
 * Suspends the organization's active accounts whose end date has passed (ends_at <= now), each in
 * its own unit of work (endAccount: sessions end at once, `account.ended` with the run), so a run
 * killed midway leaves no account half-ended and the next run finishes. Guarded by the circuit
 * breaker (lib/governance/circuit-breaker.ts; the limits of the organization's dormancy policy,
 * else 10% of active accounts and no count limit): a run that would end too many halts before
 * acting, and its counts are what it would have done (what an admin confirms). A dry run lists
 * each account with its clause, and says whether the breaker would halt.
 */
export async function runAccountEndDate(input: JobInput): Promise<JobResult> {
  const organizationId = input.organizationId;
  if (!organizationId) throw new AppError('invalid_input', 'account-end-date runs for one organization.');
  const due = await findAccountsPastEndDate(input.db, organizationId, input.now);
  const planned: PlannedAction[] = due.map((a) => ({ accountId: a.id, userName: a.userName, action: 'end', clause: `end date ${a.endsAt!.toISOString()} passed`, endsAt: a.endsAt!.toISOString() }));
  if (due.length === 0) return { counts: { end: 0 }, ...(input.dryRun ? { planned } : {}) };
  const [limits, totals] = await Promise.all([getBreakerLimits(input.db, organizationId), getAccountTotals(input.db, organizationId)]);
  const population = totals.byStatus.active;
  const decision = checkBreaker({ changes: due.length, population, limits, confirmedChanges: input.confirmed ? (input.confirmed.counts.end ?? 0) : null });
  const details = { population, limits, confirmedRunId: input.confirmed?.runId ?? null };
  const halted = decision.halt ? { reason: decision.reason } : null;
  if (input.dryRun || halted) return { counts: { end: due.length }, halted, planned, details };
  let ended = 0;
  let sessionsRevoked = 0;
  for (const account of due) {
    const result = await inTransaction(input.db, { actor: input.actor, now: input.now }, (tx, ctx) => endAccount(tx, { organizationId, accountId: account.id, runId: input.runId }, ctx));
    if (result.ended) ended += 1;
    sessionsRevoked += result.sessionsRevoked;
  }
  return { counts: { end: ended }, halted: null, details: { ...details, sessionsRevoked } };
}

export const accountEndDateJob: JobDefinition = {
  name: 'account-end-date',
  summary: 'Suspend accounts whose end date has passed (account.ended), their sessions ended at once',
  scope: 'organization',
  schedule: '*/5 * * * *',
  selectOrganizations: (db, now) => findOrganizationsWithEndedAccounts(db, now),
  run: runAccountEndDate,
};
