import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accounts, attributeRules, connections, groups, roleAssignments, roles, type AccountStatus } from '@/db/schema';

/**
 * Who holds the organization's powerful roles now (admin and auditor), one row per grant in force
 * (a grant without expiry, or expiring later): an account holding a role by a group and by hand
 * appears twice, once for each way it was granted. Ordered by role, then the name shown.
 */
export type PrivilegedRoleKey = 'admin' | 'auditor';
export type PrivilegedGrant = {
  accountId: string;
  userName: string;
  displayName: string | null;
  email: string | null;
  status: AccountStatus;
  roleKey: PrivilegedRoleKey;
  roleName: string;
  /** How it was granted: by hand (manual), by a group, or at sign-in by an attribute rule or a connection's default roles. */
  source: 'birthright' | 'group' | 'manual';
  /** What granted it: `group:<id>`, `rule:<id>`, `connection:<id>`, '' by hand. */
  sourceRef: string;
  /** The group's, rule's or connection's name (null by hand, or when it is gone). */
  viaName: string | null;
  /** Who granted it by hand (as the audit trail names actors: an account id, `cli:<user>`…). */
  grantedBy: string | null;
  since: Date;
  expiresAt: Date | null;
};

export const PRIVILEGED_ROLES: readonly PrivilegedRoleKey[] = ['admin', 'auditor'];

/**
 * The roles' ids are read first, and the grants then planned with them (not prepared): the
 * planner then knows from its statistics that 25 accounts hold admin, not the average role's
 * 50,000 (which it would assume of a join, and read every grant of the organization for).
 */
export async function findPrivilegedPeople(db: Tx, organizationId: string): Promise<PrivilegedGrant[]> {
  const held = await db.select({ id: roles.id }).from(roles).where(and(eq(roles.organizationId, organizationId), inArray(roles.key, [...PRIVILEGED_ROLES])));
  if (held.length === 0) return [];
  return (await grantsOf(db, organizationId, held.map((r) => r.id))) as PrivilegedGrant[];
}

/**
 * The grant's source, named. Qualified by hand: drizzle writes select-list columns unqualified,
 * and inside these subqueries `organization_id` would be the looked-up row's own.
 */
const ref = sql.raw(`"role_assignments"."source_ref"`);
const org = sql.raw(`"role_assignments"."organization_id"`);
const refId = (prefix: string) =>
  sql`(case when ${ref} ~ ${`^${prefix}:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`} then substr(${ref}, ${prefix.length + 2})::uuid end)`;
const viaName = sql<string | null>`case
  when ${ref} like 'group:%' then (select g.display_name from ${groups} g where g.organization_id = ${org} and g.id = ${refId('group')})
  when ${ref} like 'rule:%' then (select r.name from ${attributeRules} r where r.organization_id = ${org} and r.id = ${refId('rule')})
  when ${ref} like 'connection:%' then (select c.name from ${connections} c where c.organization_id = ${org} and c.id = ${refId('connection')})
  end`;

function grantsOf(db: Tx, organizationId: string, roleIds: string[]) {
  return db
    .select({
      accountId: accounts.id,
      userName: accounts.userName,
      displayName: accounts.displayName,
      email: accounts.email,
      status: accounts.status,
      roleKey: roles.key,
      roleName: roles.name,
      source: roleAssignments.source,
      sourceRef: roleAssignments.sourceRef,
      viaName,
      grantedBy: roleAssignments.grantedBy,
      since: roleAssignments.grantedAt,
      expiresAt: roleAssignments.expiresAt,
    })
    .from(roles)
    .innerJoin(roleAssignments, and(eq(roleAssignments.organizationId, roles.organizationId), eq(roleAssignments.roleId, roles.id)))
    .innerJoin(accounts, and(eq(accounts.organizationId, roleAssignments.organizationId), eq(accounts.id, roleAssignments.accountId)))
    .where(
      and(
        eq(roleAssignments.organizationId, organizationId),
        inArray(roleAssignments.roleId, roleIds),
        sql`(${roleAssignments.expiresAt} is null or ${roleAssignments.expiresAt} > now())`,
      ),
    )
    .orderBy(asc(roles.key), sql`lower(coalesce(${accounts.displayName}, ${accounts.userName}))`, asc(accounts.id), asc(roleAssignments.source), asc(roleAssignments.sourceRef));
}
