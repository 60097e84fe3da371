import { and, asc, eq, isNotNull, lte } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accounts, dormancyPolicies } from '@/db/schema';
import type { BreakerLimits } from '@/lib/governance/circuit-breaker';

/**
 * Active accounts whose end date has passed as of `asOf` (ends_at <= asOf), for the end-date job:
 * a walk of accounts_ends_at_idx (partial: active accounts with an end date), filtered by organization.
 */
export async function findAccountsPastEndDate(db: Tx, organizationId: string, asOf: Date) {
  return db
    .select({ id: accounts.id, userName: accounts.userName, endsAt: accounts.endsAt })
    .from(accounts)
    .where(and(eq(accounts.organizationId, organizationId), eq(accounts.status, 'active'), isNotNull(accounts.endsAt), lte(accounts.endsAt, asOf)))
    .orderBy(asc(accounts.endsAt), asc(accounts.id));
}

/** The defaults of the circuit breaker for an organization without a dormancy policy. */
export const defaultBreakerLimits: BreakerLimits = { maxSharePercent: 10, maxCount: null };

/** The organization's circuit-breaker limits: its dormancy policy's, else the defaults (10%, no count limit). */
export async function getBreakerLimits(db: Tx, organizationId: string): Promise<BreakerLimits> {
  const [row] = await db
    .select({ maxSharePercent: dormancyPolicies.maxSharePercent, maxCount: dormancyPolicies.maxCount })
    .from(dormancyPolicies)
    .where(eq(dormancyPolicies.organizationId, organizationId));
  return row ?? defaultBreakerLimits;
}
