import { sql } from 'drizzle-orm';
import type { Tx } from '@/db';

/**
 * A group's members for the console (`/admin/groups/…`): a SCIM group's memberships, or the accounts
 * whose last sign-in carried a group name (accounts.login_groups; deprovisioned accounts left out,
 * as the group list counts them). By user name; `limit` rows after `offset`, with the total.
 */
export type GroupMember = { accountId: string; userName: string; displayName: string | null; status: string };

const toMembers = (rows: Record<string, unknown>[]): GroupMember[] =>
  rows.map((r) => ({ accountId: String(r.id), userName: String(r.user_name), displayName: (r.display_name as string | null) ?? null, status: String(r.status) }));

export async function findScimGroupMembers(db: Tx, organizationId: string, groupId: string, page: { limit: number; offset: number }): Promise<{ total: number; rows: GroupMember[] }> {
  const where = sql`gm.organization_id = ${organizationId}::uuid and gm.group_id = ${groupId}::uuid`;
  const [counted] = (await db.execute(sql`select count(*)::int as total from group_memberships gm where ${where}`)) as unknown as { total: number }[];
  const rows = (await db.execute(sql`
    select a.id, a.user_name, a.display_name, a.status from group_memberships gm
    join accounts a on a.id = gm.account_id and a.organization_id = gm.organization_id
    where ${where} order by lower(a.user_name), a.id limit ${page.limit} offset ${page.offset}`)) as unknown as Record<string, unknown>[];
  return { total: counted?.total ?? 0, rows: toMembers(rows) };
}

export async function findSignInGroupMembers(db: Tx, organizationId: string, name: string, page: { limit: number; offset: number }): Promise<{ total: number; rows: GroupMember[] }> {
  const where = sql`a.organization_id = ${organizationId}::uuid and a.status <> 'deprovisioned' and ${name}::text = any(a.login_groups)`;
  const [counted] = (await db.execute(sql`select count(*)::int as total from accounts a where ${where}`)) as unknown as { total: number }[];
  const rows = (await db.execute(sql`select a.id, a.user_name, a.display_name, a.status from accounts a where ${where} order by lower(a.user_name), a.id limit ${page.limit} offset ${page.offset}`)) as unknown as Record<string, unknown>[];
  return { total: counted?.total ?? 0, rows: toMembers(rows) };
}
