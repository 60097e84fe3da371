import { and, asc, count, desc, eq, getTableColumns, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accountCounts, accounts, groupMemberships, groups, type Account } from '@/db/schema';

/**
 * Accounts as SCIM sees them: every account of the organization except deprovisioned ones
 * (RFC 7644 §3.6: a deleted resource is 404 from then on). JIT-created accounts are included, so an
 * IdP that looks before it creates finds them and links instead of duplicating.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const visible = (organizationId: string) => and(eq(accounts.organizationId, organizationId), ne(accounts.status, 'deprovisioned'))!;

export type AccountGroup = { accountId: string; groupId: string; displayName: string };
export type AccountWithGroups = { account: Account; groups: AccountGroup[] };

/**
 * An account's groups as one JSON column of its own row (no second query). Qualified by hand:
 * drizzle writes columns unqualified in a select list, where `id` would mean the group's.
 */
const groupsColumn = sql<{ groupId: string; displayName: string }[]>`coalesce((
  select json_agg(json_build_object('groupId', g.id, 'displayName', g.display_name) order by g.display_name)
  from ${groupMemberships} gm join ${groups} g on g.id = gm.group_id
  where gm.account_id = "accounts"."id" and gm.organization_id = "accounts"."organization_id"), '[]'::json)`;

function withGroups(row: Account & { groups: { groupId: string; displayName: string }[] }): AccountWithGroups {
  const { groups: list, ...account } = row;
  return { account, groups: list.map((g) => ({ accountId: account.id, ...g })) };
}

export async function getScimAccount(db: Tx, organizationId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<Account | null> {
  if (!UUID.test(id)) return null;
  const query = db.select().from(accounts).where(and(visible(organizationId), eq(accounts.id, id)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function getScimAccountWithGroups(db: Tx, organizationId: string, id: string): Promise<AccountWithGroups | null> {
  if (!UUID.test(id)) return null;
  const [row] = await db
    .select({ ...getTableColumns(accounts), groups: groupsColumn })
    .from(accounts)
    .where(and(visible(organizationId), eq(accounts.id, id)));
  return row ? withGroups(row) : null;
}

export type ScimPage = { where: SQL | null; sort: SQL | null; descending: boolean; offset: number; limit: number };

/**
 * One page in a stable order (the sort key, then creation and id), with each account's groups, and
 * the total. The page's ids are found first (an index-only scan of accounts_org_visible_created_idx
 * in the default order, so deep offsets skip index entries, not rows); the total is counted only
 * when the page does not already tell it.
 */
export async function findScimAccounts(db: Tx, organizationId: string, page: ScimPage): Promise<{ rows: AccountWithGroups[]; total: number }> {
  const condition = page.where ? and(visible(organizationId), page.where)! : visible(organizationId);
  const direction = page.descending ? desc : asc;
  const order = [...(page.sort ? [page.descending ? sql`${page.sort} desc nulls last` : sql`${page.sort} asc nulls last`] : []), direction(accounts.createdAt), direction(accounts.id)];
  const rows =
    page.limit > 0
      ? await db
          .select({ ...getTableColumns(accounts), groups: groupsColumn })
          .from(accounts)
          .where(inArray(accounts.id, db.select({ id: accounts.id }).from(accounts).where(condition).orderBy(...order).limit(page.limit).offset(page.offset)))
          .orderBy(...order)
      : [];
  const known = rows.length > 0 ? rows.length < page.limit : page.offset === 0 && page.limit > 0;
  const total = known ? page.offset + rows.length : page.where ? await countWhere(db, condition) : await countVisibleAccounts(db, organizationId);
  return { rows: rows.map(withGroups), total };
}

async function countWhere(db: Tx, condition: SQL): Promise<number> {
  const [row] = await db.select({ value: count() }).from(accounts).where(condition);
  return row?.value ?? 0;
}

/** Accounts not deprovisioned, from the trigger-kept counters (a sum of at most 64 rows, not a 100k-row count). */
export async function countVisibleAccounts(db: Tx, organizationId: string): Promise<number> {
  const [row] = await db
    .select({ value: sql<string | null>`sum(${accountCounts.visible})` })
    .from(accountCounts)
    .where(eq(accountCounts.organizationId, organizationId));
  return Number(row?.value ?? 0);
}

/** The groups of these accounts (one query). */
export async function findGroupsOfAccounts(db: Tx, organizationId: string, accountIds: string[]): Promise<AccountGroup[]> {
  if (accountIds.length === 0) return [];
  return db
    .select({ accountId: groupMemberships.accountId, groupId: groups.id, displayName: groups.displayName })
    .from(groupMemberships)
    .innerJoin(groups, eq(groups.id, groupMemberships.groupId))
    .where(and(eq(groupMemberships.organizationId, organizationId), inArray(groupMemberships.accountId, accountIds)))
    .orderBy(asc(groups.displayName));
}

/** Which of these ids are visible accounts of the organization (group members must be). */
export async function findScimAccountIds(db: Tx, organizationId: string, ids: string[]): Promise<string[]> {
  const wellFormed = [...new Set(ids.filter((id) => UUID.test(id)))];
  if (wellFormed.length === 0) return [];
  const rows = await db.select({ id: accounts.id }).from(accounts).where(and(visible(organizationId), inArray(accounts.id, wellFormed)));
  return rows.map((r) => r.id);
}
