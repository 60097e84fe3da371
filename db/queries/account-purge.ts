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

export type AccountDueForPurge = { id: string; organizationId: string; userName: string; deactivatedAt: Date; afterDays: number };

export async function findAccountsDueForPurge(db: Tx, now: Date): Promise<AccountDueForPurge[]> {
  const rows = await db.execute<{ id: string; organization_id: string; user_name: string; deactivated_at: string; after_days: number }>(sql`
    select a.id, a.organization_id, a.user_name, a.deactivated_at, (o.settings->>'purgeDeprovisionedAfterDays')::numeric::int as after_days
    from accounts a, organizations o where ${due(now)}
    order by a.organization_id, a.deactivated_at`);
  return rows.map((r) => ({ id: r.id, organizationId: r.organization_id, userName: r.user_name, deactivatedAt: new Date(r.deactivated_at), afterDays: r.after_days }));
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
