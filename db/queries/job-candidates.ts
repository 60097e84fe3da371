import { sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accounts, dormancyPolicies, roleAssignments } from '@/db/schema';

/**
 * The organizations a frequent job has work in, so its tick fans out to those only (a per-minute
 * job over every organization would write a job_runs row per organization per minute). Each is
 * one range of a partial index (role_assignments_expiry_idx, accounts_ends_at_idx).
 */
export async function findOrganizationsWithExpiredGrants(db: Tx, asOf: Date): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: roleAssignments.organizationId })
    .from(roleAssignments)
    .where(sql`${roleAssignments.expiresAt} is not null and ${roleAssignments.expiresAt} <= ${asOf.toISOString()}::timestamptz`);
  return rows.map((r) => r.id);
}

export async function findOrganizationsWithEndedAccounts(db: Tx, asOf: Date): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: accounts.organizationId })
    .from(accounts)
    .where(sql`${accounts.endsAt} is not null and ${accounts.status} = 'active' and ${accounts.endsAt} <= ${asOf.toISOString()}::timestamptz`);
  return rows.map((r) => r.id);
}

export async function findOrganizationsWithDormancyPolicy(db: Tx): Promise<string[]> {
  const rows = await db.select({ id: dormancyPolicies.organizationId }).from(dormancyPolicies).where(sql`${dormancyPolicies.enabled}`);
  return rows.map((r) => r.id);
}
