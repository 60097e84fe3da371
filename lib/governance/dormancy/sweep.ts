import { getDormancyPolicy } from '@/db/queries/dormancy-policies';
import { lockDormancyBatch, type DormancyCandidate } from '@/db/queries/dormancy';
import type { JobInput, JobResult } from '@/lib/jobs/types';
import { deprovisionAccounts } from '@/lib/lifecycle/account/deprovision-accounts';
import { setAccountsStatus } from '@/lib/lifecycle/account/set-accounts-status';
import { inTransaction } from '@/lib/lifecycle/context';
import { cancelLapsedWarnings, warnDormantAccounts } from '@/lib/lifecycle/dormancy/dormancy-marks';
import { notify, type Notification } from '../notify';
import { DORMANCY_JOB, clauseOf, planDormancy, plannedActions, suspendFrom, type DormancyPlan } from './plan';

/**
 * The dormancy sweep of one organization (the `dormancy` job). One set-based scan finds every
 * account the policy acts on (plan.ts); the circuit breaker is asked before anything changes; a dry
 * run (or an as-of preview) stops there with the plan, through the same path. A real run then acts
 * in batches, each one transaction: the batch's accounts are locked and re-checked in SQL (an
 * account active again since the scan drops out), changed in a few statements, and audited with the
 * clause and the run id. A run killed between batches leaves whole batches done and the rest
 * untouched; the next run's scan finds exactly the rest (idempotent).
 */
export type SweepOptions = {
  /** Accounts per transaction. */
  batchSize?: number;
  /** Called after each committed batch (tests crash the run here). */
  afterBatch?: (batch: { action: string; size: number }) => Promise<void> | void;
};

export const DEFAULT_BATCH_SIZE = 2_000;
const chunks = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export async function runDormancySweep(input: JobInput, options: SweepOptions = {}): Promise<JobResult> {
  const organizationId = input.organizationId;
  if (!organizationId) throw new Error('dormancy: the job runs per organization');
  const policy = await getDormancyPolicy(input.db, organizationId);
  if (!policy || !policy.enabled) return { counts: {}, planned: [], details: { policy: null, note: policy ? 'the dormancy policy is disabled' : 'no dormancy policy' } };
  const plan = await planDormancy(input.db, { organizationId, policy, now: input.now, confirmed: input.confirmed });
  const details = { policy: plan.rules, exemptRoleKeys: policy.exemptRoleKeys, population: plan.population, limits: { maxSharePercent: policy.maxSharePercent, maxCount: policy.maxCount } };
  if (plan.breaker.halt) return { counts: plan.counts, halted: { reason: plan.breaker.reason }, planned: plannedActions(plan), details };
  if (input.dryRun) return { counts: plan.counts, planned: plannedActions(plan), details };
  // Warnings that activity made void are cleared (the SQL already reads them as absent).
  const warningsCancelled = await cancelWarnings(input);
  const done = await apply(input, plan, options);
  return { counts: { dormant: plan.counts.dormant ?? 0, ...done, warningsCancelled }, details };
}

async function cancelWarnings(input: JobInput): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await inTransaction(input.db, { actor: input.actor, now: input.now }, (tx, ctx) => cancelLapsedWarnings(tx, { organizationId: input.organizationId!, runId: input.runId, limit: DEFAULT_BATCH_SIZE }, ctx));
    total += n;
    if (n < DEFAULT_BATCH_SIZE) return total;
  }
}

async function apply(input: JobInput, plan: DormancyPlan, options: SweepOptions) {
  const done = { deprovision: 0, suspend: 0, warn: 0, sessionsRevoked: 0 };
  const size = options.batchSize ?? DEFAULT_BATCH_SIZE;
  for (const action of ['deprovision', 'suspend', 'warn'] as const) {
    for (const batch of chunks(plan.byAction[action], size)) {
      const result = await inTransaction(input.db, { actor: input.actor, now: input.now }, async (tx, ctx) => {
        const locked = await lockDormancyBatch(tx, plan.scope, action, batch.map((c) => c.id));
        // The clause is the reason (data.clause); data.job says it was the dormancy job.
        const accounts = locked.map((c) => ({ id: c.id, status: c.status, clause: clauseOf(c, plan.rules, input.now) }));
        const run = { organizationId: plan.scope.organizationId, accounts, job: DORMANCY_JOB, runId: input.runId };
        if (action === 'deprovision') return { n: (await deprovisionAccounts(tx, run, ctx)).changed.length, sessions: 0, warned: [] as DormancyCandidate[] };
        if (action === 'suspend') {
          const { changed, sessionsRevoked } = await setAccountsStatus(tx, { ...run, status: 'suspended', dormancy: true }, ctx);
          return { n: changed.length, sessions: sessionsRevoked, warned: [] as DormancyCandidate[] };
        }
        const warn = locked.map((c) => ({ id: c.id, clause: clauseOf(c, plan.rules, input.now), suspendFrom: suspendFrom(c, plan.rules, input.now) }));
        const warned = new Set(await warnDormantAccounts(tx, { organizationId: run.organizationId, accounts: warn, runId: input.runId }, ctx));
        return { n: warned.size, sessions: 0, warned: locked.filter((c) => warned.has(c.id)) };
      });
      done[action] += result.n;
      done.sessionsRevoked += result.sessions;
      await notify(result.warned.map((c) => warningOf(c, plan, input.runId)));
      await options.afterBatch?.({ action, size: result.n });
    }
  }
  return done;
}

function warningOf(c: DormancyCandidate, plan: DormancyPlan, runId: string): Notification {
  const from = suspendFrom(c, plan.rules, plan.scope.now);
  const when = from ? ` from ${from.toISOString().slice(0, 10)}` : '';
  return {
    kind: 'dormancy.warned',
    organizationId: plan.scope.organizationId,
    accountId: c.id,
    userName: c.userName,
    runId,
    message: `Your account ${c.userName} has not been used for a while and will be suspended${when} unless you sign in (${clauseOf(c, plan.rules, plan.scope.now)}).`,
  };
}
