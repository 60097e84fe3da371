import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accounts, roleAssignments, roles } from '@/db/schema';

/** Who holds these roles in force in the organization (an expired grant is none), with how each was granted. */
export async function findRoleHolders(db: Tx, organizationId: string, roleKeys: string[]) {
  return db
    .select({
      accountId: accounts.id,
      userName: accounts.userName,
      displayName: accounts.displayName,
      status: accounts.status,
      lastLoginAt: accounts.lastLoginAt,
      roleKey: roles.key,
      roleName: roles.name,
      source: roleAssignments.source,
      sourceRef: roleAssignments.sourceRef,
      grantedBy: roleAssignments.grantedBy,
      grantedAt: roleAssignments.grantedAt,
      expiresAt: roleAssignments.expiresAt,
    })
    .from(roleAssignments)
    .innerJoin(roles, and(eq(roles.id, roleAssignments.roleId), eq(roles.organizationId, roleAssignments.organizationId)))
    .innerJoin(accounts, and(eq(accounts.id, roleAssignments.accountId), eq(accounts.organizationId, roleAssignments.organizationId)))
    .where(
      and(
        eq(roleAssignments.organizationId, organizationId),
        inArray(roles.key, roleKeys),
        sql`(${roleAssignments.expiresAt} is null or ${roleAssignments.expiresAt} > now())`,
      ),
    )
    .orderBy(asc(roles.key), asc(sql`lower(coalesce(${accounts.displayName}, ${accounts.userName}))`))
    .limit(500);
}
