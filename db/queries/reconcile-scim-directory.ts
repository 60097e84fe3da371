import { sql } from 'drizzle-orm';
import type { Tx } from '@/db';

export type DirectoryPerson = { id: string; employeeNumber: string | null; externalId: string | null; email: string | null; userName: string };

/**
 * One page (id order, after `afterId`) of the people the organization's IdP pushed over SCIM and
 * still has active: SCIM-managed accounts, not deprovisioned (a SCIM DELETE deprovisions), whose
 * last word from the IdP was not `active: false`.
 */
export async function findScimDirectoryPage(db: Tx, organizationId: string, afterId: string | null, limit: number): Promise<DirectoryPerson[]> {
  const rows = await db.execute<{ id: string; employee_number: string | null; external_id: string | null; email: string | null; user_name: string }>(sql`
    select id, employee_number, external_id, email, user_name from accounts
    where organization_id = ${organizationId}::uuid and scim_managed_at is not null and status <> 'deprovisioned' and scim_active is distinct from false
      and (${afterId}::uuid is null or id > ${afterId}::uuid)
    order by id limit ${limit}`);
  return rows.map((r) => ({ id: r.id, employeeNumber: r.employee_number, externalId: r.external_id, email: r.email, userName: r.user_name }));
}
