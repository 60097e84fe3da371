import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { dormancyPolicies } from '@/db/schema';

/** An organization's dormancy policy (lib/governance/dormancy/policy.ts validates and audits it). */
const columns = {
  organizationId: dormancyPolicies.organizationId,
  enabled: dormancyPolicies.enabled,
  dormantAfterDays: dormancyPolicies.dormantAfterDays,
  suspendAfterDays: dormancyPolicies.suspendAfterDays,
  deprovisionAfterDays: dormancyPolicies.deprovisionAfterDays,
  neverSignedInAfterDays: dormancyPolicies.neverSignedInAfterDays,
  warnBeforeDays: dormancyPolicies.warnBeforeDays,
  exemptRoleKeys: dormancyPolicies.exemptRoleKeys,
  maxSharePercent: dormancyPolicies.maxSharePercent,
  maxCount: dormancyPolicies.maxCount,
  updatedAt: dormancyPolicies.updatedAt,
  updatedBy: dormancyPolicies.updatedBy,
};

export type DormancyPolicyRow = typeof dormancyPolicies.$inferSelect;

export type DormancyPolicyValues = Omit<DormancyPolicyRow, 'organizationId' | 'updatedAt' | 'updatedBy'>;

export async function getDormancyPolicy(db: Tx, organizationId: string, options: { forUpdate?: boolean } = {}): Promise<DormancyPolicyRow | null> {
  const query = db.select(columns).from(dormancyPolicies).where(eq(dormancyPolicies.organizationId, organizationId));
  const [row] = await (options.forUpdate ? query.for('update') : query);
  return row ?? null;
}

/** Creates or replaces the organization's policy; returns it as stored. */
export async function upsertDormancyPolicy(db: Tx, organizationId: string, values: DormancyPolicyValues, updatedBy: string | null): Promise<DormancyPolicyRow> {
  const [row] = await db
    .insert(dormancyPolicies)
    .values({ organizationId, ...values, updatedBy })
    .onConflictDoUpdate({ target: dormancyPolicies.organizationId, set: { ...values, updatedBy, updatedAt: sql`now()` } })
    .returning(columns);
  return row!;
}
