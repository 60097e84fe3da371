import { and, asc, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accounts, groupMemberships, groups, type Group } from '@/db/schema';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function insertGroup(db: Tx, values: { organizationId: string; displayName: string; externalId?: string | null }): Promise<Group> {
  const [row] = await db.insert(groups).values(values).returning();
  return row!;
}

export async function getGroup(db: Tx, organizationId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<Group | null> {
  if (!UUID.test(id)) return null;
  const query = db.select().from(groups).where(and(eq(groups.organizationId, organizationId), eq(groups.id, id)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

/** Writes the given fields (none: just a new version, e.g. after a membership change). */
export async function updateGroup(db: Tx, organizationId: string, id: string, patch: Partial<Pick<Group, 'displayName' | 'externalId' | 'roleId'>>) {
  const [row] = await db
    .update(groups)
    .set({ ...patch, version: sql`${groups.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(groups.organizationId, organizationId), eq(groups.id, id)))
    .returning();
  return row!;
}

export async function deleteGroup(db: Tx, organizationId: string, id: string) {
  await db.delete(groups).where(and(eq(groups.organizationId, organizationId), eq(groups.id, id)));
}

export type GroupPage = { where: SQL | null; sort: SQL | null; descending: boolean; offset: number; limit: number };

export async function findGroups(db: Tx, organizationId: string, page: GroupPage): Promise<{ rows: Group[]; total: number }> {
  const condition = page.where ? and(eq(groups.organizationId, organizationId), page.where)! : eq(groups.organizationId, organizationId);
  const direction = page.descending ? desc : asc;
  const order = [...(page.sort ? [page.descending ? sql`${page.sort} desc nulls last` : sql`${page.sort} asc nulls last`] : []), direction(groups.createdAt), direction(groups.id)];
  const rows = page.limit > 0 ? await db.select().from(groups).where(condition).orderBy(...order).limit(page.limit).offset(page.offset) : [];
  const known = rows.length > 0 ? rows.length < page.limit : page.offset === 0 && page.limit > 0;
  const total = known ? page.offset + rows.length : ((await db.select({ value: count() }).from(groups).where(condition))[0]?.value ?? 0);
  return { rows, total };
}

export async function findGroupMembers(db: Tx, organizationId: string, groupIds: string[]) {
  if (groupIds.length === 0) return [];
  return db
    .select({ groupId: groupMemberships.groupId, accountId: accounts.id, userName: accounts.userName, displayName: accounts.displayName })
    .from(groupMemberships)
    .innerJoin(accounts, and(eq(accounts.id, groupMemberships.accountId), eq(accounts.organizationId, groupMemberships.organizationId)))
    .where(and(eq(groupMemberships.organizationId, organizationId), inArray(groupMemberships.groupId, groupIds)))
    .orderBy(asc(groupMemberships.createdAt), asc(accounts.id));
}

/** Adds members (already there: skipped); returns the accounts actually added. */
export async function insertGroupMembers(db: Tx, organizationId: string, groupId: string, accountIds: string[]): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await db
    .insert(groupMemberships)
    .values(accountIds.map((accountId) => ({ organizationId, groupId, accountId })))
    .onConflictDoNothing()
    .returning({ accountId: groupMemberships.accountId });
  return rows.map((r) => r.accountId);
}

/** Removes these members, or all of them; returns the accounts actually removed. */
export async function deleteGroupMembers(db: Tx, organizationId: string, groupId: string, accountIds: string[] | 'all'): Promise<string[]> {
  if (accountIds !== 'all' && accountIds.length === 0) return [];
  const scope = and(eq(groupMemberships.organizationId, organizationId), eq(groupMemberships.groupId, groupId));
  const rows = await db
    .delete(groupMemberships)
    .where(accountIds === 'all' ? scope : and(scope, inArray(groupMemberships.accountId, accountIds)))
    .returning({ accountId: groupMemberships.accountId });
  return rows.map((r) => r.accountId);
}

/** Takes an account out of every group (deprovisioning); returns the groups it left. */
export async function deleteAccountMemberships(db: Tx, organizationId: string, accountId: string): Promise<string[]> {
  const rows = await db
    .delete(groupMemberships)
    .where(and(eq(groupMemberships.organizationId, organizationId), eq(groupMemberships.accountId, accountId)))
    .returning({ groupId: groupMemberships.groupId });
  return rows.map((r) => r.groupId);
}

/** Every member of a group, for a role mapping change. */
export async function findGroupMemberIds(db: Tx, organizationId: string, groupId: string): Promise<string[]> {
  const rows = await db
    .select({ accountId: groupMemberships.accountId })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.organizationId, organizationId), eq(groupMemberships.groupId, groupId)));
  return rows.map((r) => r.accountId);
}


/** Groups to filter by, by name (the console's filter menu; a large directory shows its first `limit`). */
export async function findGroupOptions(db: Tx, organizationId: string, limit: number): Promise<{ id: string; name: string }[]> {
  return db
    .select({ id: groups.id, name: groups.displayName })
    .from(groups)
    .where(eq(groups.organizationId, organizationId))
    .orderBy(asc(sql`lower(${groups.displayName})`))
    .limit(limit);
}

/** A group by its display name (unique per organization, case-insensitively), e.g. the CLI's `--group NAME`. */
export async function getGroupByDisplayName(db: Tx, organizationId: string, displayName: string): Promise<Group | null> {
  const [row] = await db
    .select()
    .from(groups)
    .where(and(eq(groups.organizationId, organizationId), sql`lower(${groups.displayName}) = lower(${displayName})`))
    .limit(1);
  return row ?? null;
}
