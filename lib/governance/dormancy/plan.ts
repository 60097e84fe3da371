import type { Tx } from '@/db';
import { getAccountTotals } from '@/db/queries/console-counts';
import { findDormancyCandidates, type DormancyCandidate, type DormancyScope } from '@/db/queries/dormancy';
import type { DormancyPolicyRow } from '@/db/queries/dormancy-policies';
import type { PlannedAction } from '@/lib/jobs/types';
import { decideDormancy, dormancyCutoffs, type DormancyRules } from '@/lib/policy/dormancy';
import { checkBreaker, type BreakerDecision } from '../circuit-breaker';

/** What a sweep would do at `now`: the accounts per action (one set-based scan), the counts and the breaker's word. */
export type DormancyPlan = {
  scope: DormancyScope;
  rules: DormancyRules;
  byAction: Record<'warn' | 'suspend' | 'deprovision', DormancyCandidate[]>;
  counts: Record<string, number>;
  population: number;
  breaker: BreakerDecision;
};

export const DORMANCY_JOB = 'dormancy';

export function rulesOf(policy: DormancyPolicyRow): DormancyRules {
  const { dormantAfterDays, suspendAfterDays, deprovisionAfterDays, neverSignedInAfterDays, warnBeforeDays } = policy;
  return { dormantAfterDays, suspendAfterDays, deprovisionAfterDays, neverSignedInAfterDays, warnBeforeDays };
}

/** The clause of one account, in words, from the pure decision (the SQL chose the account, this says why). */
export function clauseOf(candidate: DormancyCandidate, rules: DormancyRules, now: Date): string {
  return decideDormancy({ ...candidate, exempt: false }, rules, now).clause;
}

/** From when the warned account may be suspended: its threshold, and not before the warning is old enough. */
export function suspendFrom(candidate: DormancyCandidate, rules: DormancyRules, now: Date): Date | null {
  const never = candidate.lastActivityAt === null;
  const days = never ? (rules.neverSignedInAfterDays ?? rules.suspendAfterDays) : rules.suspendAfterDays;
  if (days === null) return null;
  const reference = (candidate.lastActivityAt ?? candidate.createdAt).getTime();
  return new Date(Math.max(reference + days * 86_400_000, now.getTime() + (rules.warnBeforeDays ?? 0) * 86_400_000));
}

export async function planDormancy(db: Tx, input: { organizationId: string; policy: DormancyPolicyRow; now: Date; confirmed?: { counts: Record<string, number> } | null }): Promise<DormancyPlan> {
  const rules = rulesOf(input.policy);
  const scope: DormancyScope = { organizationId: input.organizationId, cutoffs: dormancyCutoffs(rules, input.now), exemptRoleKeys: input.policy.exemptRoleKeys, now: input.now };
  const [found, totals] = await Promise.all([findDormancyCandidates(db, scope), getAccountTotals(db, input.organizationId)]);
  const byAction: DormancyPlan['byAction'] = { warn: [], suspend: [], deprovision: [] };
  let dormant = 0;
  for (const candidate of found) {
    if (candidate.action === 'dormant') dormant++;
    else byAction[candidate.action].push(candidate);
  }
  const counts = { dormant, warn: byAction.warn.length, suspend: byAction.suspend.length, deprovision: byAction.deprovision.length };
  const population = totals.byStatus.active;
  const confirmed = input.confirmed ? (input.confirmed.counts.suspend ?? 0) + (input.confirmed.counts.deprovision ?? 0) : null;
  const breaker = checkBreaker({
    changes: counts.suspend + counts.deprovision,
    population,
    limits: { maxSharePercent: input.policy.maxSharePercent, maxCount: input.policy.maxCount },
    confirmedChanges: confirmed,
  });
  return { scope, rules, byAction, counts, population, breaker };
}

/** Each account with the action it would get and the clause, deprovisions first (the order a run acts in). */
export function plannedActions(plan: DormancyPlan): PlannedAction[] {
  const now = plan.scope.now;
  return (['deprovision', 'suspend', 'warn'] as const).flatMap((action) =>
    plan.byAction[action].map((c) => ({ accountId: c.id, userName: c.userName, action, clause: clauseOf(c, plan.rules, now) })),
  );
}
