import { inArray, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { externalIdentities, sessions } from '@/db/schema';

/**
 * Deprovisioned accounts whose organization purges personal data after N days
 * (`organizations.settings.purgeDeprovisionedAfterDays`) and whose N days have passed: one
 * set-based statement. The row stays (id, organization, status, dates) for the audit trail; its
 * user name becomes `purged:<id>`, which also frees the old one.
 */
const due = (now: Date) => sql`
  a.organization_id = o.id and a.status = 'deprovisioned' and a.purged_at is null and a.deactivated_at is not null
  and jsonb_typeof(o.settings->'purgeDeprovisionedAfterDays') = 'number'
  and (o.settings->>'purgeDeprovisionedAfterDays')::numeric >= 1
  and a.deactivated_at <= ${now.toISOString()}::timestamptz - make_interval(days => (o.settings->>'purgeDeprovisionedAfterDays')::numeric::int)`;

export async function findAccountsDueForPurge(db: Tx, now: Date): Promise<{ id: string; organizationId: string }[]> {
  const rows = await db.execute<{ id: string; organization_id: string }>(sql`select a.id, a.organization_id from accounts a, organizations o where ${due(now)}`);
  return rows.map((r) => ({ id: r.id, organizationId: r.organization_id }));
}

export async function purgeAccountsDue(db: Tx, now: Date): Promise<{ id: string; organizationId: string }[]> {
  const rows = await db.execute<{ id: string; organization_id: string }>(sql`
    update accounts a set
      user_name = 'purged:' || a.id, email = null, display_name = null, given_name = null, family_name = null,
      department = null, title = null, employee_number = null, manager = null, external_id = null,
      extra_attributes = '{}'::jsonb, scim_attributes = '{}'::jsonb, field_owners = '{}'::jsonb, login_groups = '{}'::text[],
      security_hold_reason = null, purged_at = ${now.toISOString()}::timestamptz, version = a.version + 1, updated_at = now()
    from organizations o
    where ${due(now)}
    returning a.id, a.organization_id`);
  const ids = rows.map((r) => r.id);
  if (ids.length > 0) {
    await db.delete(externalIdentities).where(inArray(externalIdentities.accountId, ids));
    await db.delete(sessions).where(inArray(sessions.accountId, ids));
  }
  return rows.map((r) => ({ id: r.id, organizationId: r.organization_id }));
}
