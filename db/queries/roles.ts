import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { roleAssignments, roles } from '@/db/schema';

const roleColumns = { id: roles.id, key: roles.key, name: roles.name, description: roles.description };

/** Creates the role if the organization lacks it; returns it either way (safe under concurrency). */
export async function upsertRole(db: Tx, values: { organizationId: string; key: string; name: string; description?: string }) {
  await db.insert(roles).values(values).onConflictDoNothing({ target: [roles.organizationId, roles.key] });
  const [row] = await db.select(roleColumns).from(roles).where(and(eq(roles.organizationId, values.organizationId), eq(roles.key, values.key)));
  return row!;
}

export async function getRoleByKey(db: Tx, organizationId: string, key: string) {
  const [row] = await db.select(roleColumns).from(roles).where(and(eq(roles.organizationId, organizationId), eq(roles.key, key)));
  return row ?? null;
}

export async function findRoles(db: Tx, organizationId: string) {
  return db.select(roleColumns).from(roles).where(eq(roles.organizationId, organizationId)).orderBy(asc(roles.key));
}

/** The roles an account holds now (expired assignments excluded), with how each was granted. */
export async function findAccountRoles(db: Tx, organizationId: string, accountId: string) {
  return db
    .select({
      assignmentId: roleAssignments.id,
      roleId: roles.id,
      key: roles.key,
      name: roles.name,
      source: roleAssignments.source,
      sourceRef: roleAssignments.sourceRef,
      grantedAt: roleAssignments.grantedAt,
      grantedBy: roleAssignments.grantedBy,
      expiresAt: roleAssignments.expiresAt,
    })
    .from(roleAssignments)
    .innerJoin(roles, eq(roles.id, roleAssignments.roleId))
    .where(
      and(
        eq(roleAssignments.organizationId, organizationId),
        eq(roleAssignments.accountId, accountId),
        sql`(${roleAssignments.expiresAt} is null or ${roleAssignments.expiresAt} > now())`,
      ),
    )
    .orderBy(asc(roles.key), asc(roleAssignments.source));
}

export async function hasRole(db: Tx, organizationId: string, accountId: string, key: string): Promise<boolean> {
  const [row] = await db
    .select({ id: roleAssignments.id })
    .from(roleAssignments)
    .innerJoin(roles, eq(roles.id, roleAssignments.roleId))
    .where(
      and(
        eq(roleAssignments.organizationId, organizationId),
        eq(roleAssignments.accountId, accountId),
        eq(roles.key, key),
        sql`(${roleAssignments.expiresAt} is null or ${roleAssignments.expiresAt} > now())`,
      ),
    )
    .limit(1);
  return Boolean(row);
}

