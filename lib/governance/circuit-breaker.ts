/**
 * The circuit breaker for runs that change many accounts (dormancy, end dates, reconciliation):
 * a run that would suspend or deprovision more than a set share of the organization's active
 * accounts, or more than a set number, halts before acting and waits for an admin to confirm it.
 * (Deactivations from a truncated import or a wrong policy are a known outage cause where such a
 * limit is missing; Entra's "accidental deletions" threshold is the same idea.)
 */
export type BreakerLimits = { maxSharePercent: number; maxCount: number | null };

export type BreakerDecision = { halt: false } | { halt: true; reason: string };

/**
 * `changes` is how many accounts the run would suspend or deprovision, `population` the active
 * accounts of the organization. A confirmed run passes as long as it does no more than the admin
 * confirmed (`confirmedChanges`): a plan that grew since the confirmation halts again.
 */
export function checkBreaker(input: { changes: number; population: number; limits: BreakerLimits; confirmedChanges?: number | null }): BreakerDecision {
  const { changes, population, limits } = input;
  if (changes === 0) return { halt: false };
  if (input.confirmedChanges != null) {
    return changes <= input.confirmedChanges
      ? { halt: false }
      : { halt: true, reason: `the run would change ${changes} accounts, more than the ${input.confirmedChanges} an admin confirmed` };
  }
  if (limits.maxCount != null && changes > limits.maxCount) {
    return { halt: true, reason: `the run would suspend or deprovision ${changes} accounts, over the limit of ${limits.maxCount}` };
  }
  const share = population === 0 ? 100 : (changes / population) * 100;
  if (share > limits.maxSharePercent) {
    return {
      halt: true,
      reason: `the run would suspend or deprovision ${changes} of ${population} active accounts (${share.toFixed(1)}%), over the limit of ${limits.maxSharePercent}%`,
    };
  }
  return { halt: false };
}
