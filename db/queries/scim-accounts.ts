import { and, asc, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { WithSubquery } from 'drizzle-orm/subquery';
import type { Tx } from '@/db';
import { accountCounts, accounts, groupMemberships, groups, type Account } from '@/db/schema';
import { builtOnce, builtOncePer } from './built-once';
import { scimTokenStillGrants, scimTokenStillValid } from './scim-tokens';

/**
 * Every query here is a prepared statement (see scim-tokens.ts for why). A filtered list's SQL text
 * follows the filter's shape (values are parameters), so postgres.js prepares one statement per
 * shape a connection sees — a handful in practice; connections are recycled after max_lifetime.
 *
 * Accounts as SCIM sees them: every account of the organization except deprovisioned ones
 * (RFC 7644 §3.6: a deleted resource is 404 from then on). JIT-created accounts are included, so an
 * IdP that looks before it creates finds them and links instead of duplicating.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** 'deprovisioned' is a literal, not a parameter, so prepared (generic) plans can use the partial index accounts_org_visible_id_idx. */
const visible = (organizationId: string | SQL) => and(eq(accounts.organizationId, organizationId), sql`${accounts.status} <> 'deprovisioned'`)!;

export type AccountGroup = { accountId: string; groupId: string; displayName: string };
/**
 * The columns a SCIM User is made of (lib/scim/user-resource.ts): reads and lists load only these,
 * not the login and hold bookkeeping (half the columns; parsing them was a third of a list page's CPU).
 */
const scimUserColumns = {
  id: accounts.id,
  organizationId: accounts.organizationId,
  status: accounts.status,
  userName: accounts.userName,
  email: accounts.email,
  displayName: accounts.displayName,
  givenName: accounts.givenName,
  familyName: accounts.familyName,
  department: accounts.department,
  title: accounts.title,
  employeeNumber: accounts.employeeNumber,
  manager: accounts.manager,
  version: accounts.version,
  createdAt: accounts.createdAt,
  updatedAt: accounts.updatedAt,
  externalId: accounts.externalId,
  scimAttributes: accounts.scimAttributes,
  endsAt: accounts.endsAt,
};
export type ScimUserRow = Pick<Account, keyof typeof scimUserColumns>;
export type AccountWithGroups = { account: ScimUserRow; groups: AccountGroup[] };

/**
 * An account's groups as one JSON column of its own row (no second query). Qualified by hand:
 * drizzle writes columns unqualified in a select list, where `id` would mean the group's.
 */
const groupsColumn = sql<{ groupId: string; displayName: string }[]>`coalesce((
  select json_agg(json_build_object('groupId', g.id, 'displayName', g.display_name) order by g.display_name)
  from ${groupMemberships} gm join ${groups} g on g.id = gm.group_id
  where gm.account_id = "accounts"."id" and gm.organization_id = "accounts"."organization_id"), '[]'::json)`;

function withGroups(row: ScimUserRow & { groups: { groupId: string; displayName: string }[]; total?: number | null }): AccountWithGroups {
  const { groups: list, total: _total, ...account } = row;
  return { account, groups: list.map((g) => ({ accountId: account.id, ...g })) };
}

/**
 * The visible account with this id. `guard`: a principal remembered from an earlier request
 * (lib/scim/authenticate.ts) — the row is returned only while its token still grants what it was
 * remembered with (scimTokenStillGrants), checked in this statement, under the row lock.
 */
export async function getScimAccount(db: Tx, organizationId: string, id: string, options: { forUpdate?: boolean; guard?: ScimGuard | null } = {}): Promise<Account | null> {
  if (!UUID.test(id)) return null;
  const { guard } = options;
  const variant = guard ? 'guarded' : options.forUpdate ? 'for update' : 'plain';
  const [row] = await scimAccount(db, variant).execute(guard ? { organizationId, id, ...guard } : { organizationId, id });
  return row ?? null;
}

/** What a remembered principal is re-checked with (lib/scim/authenticate.ts: ScimPrincipal.guard). */
export type ScimGuard = { tokenId: string; tokenHash: string; policyVersion: string };

/** 'guarded' is always FOR UPDATE: only a write reads through a remembered principal. */
const scimAccount = builtOncePer((db, variant: 'plain' | 'for update' | 'guarded') => {
  const byId = sql`${accounts.id} = ${sql.placeholder('id')}::uuid`;
  const query = db
    .select()
    .from(accounts)
    .where(and(visible(sql`${sql.placeholder('organizationId')}::uuid`), variant === 'guarded' ? and(byId, scimTokenStillGrants()) : byId));
  return (variant === 'plain' ? query : query.for('update')).prepare(`scim_account_${variant.replace(' ', '_')}`);
});

export async function getScimAccountWithGroups(db: Tx, organizationId: string, id: string): Promise<AccountWithGroups | null> {
  if (!UUID.test(id)) return null;
  const [row] = await db
    .select({ ...scimUserColumns, groups: groupsColumn })
    .from(accounts)
    .where(and(visible(organizationId), eq(accounts.id, id)))
    .prepare('scim_account_with_groups')
    .execute();
  return row ? withGroups(row) : null;
}

/**
 * The visible account with this user name (case-insensitive, unique per organization), with its
 * groups: `filter=userName eq "…"`, the lookup Entra ID and Okta make before every push, as one
 * index lookup whose SQL is built once (built-once.ts) rather than through the general filter path.
 */
export async function findScimAccountByUserName(db: Tx, organizationId: string, userName: string): Promise<AccountWithGroups | null> {
  const [row] = await accountByUserName(db).execute({ organizationId, userName });
  return row ? withGroups(row) : null;
}

/**
 * The same through a principal remembered from an earlier request (lib/scim/authenticate.ts): one
 * statement says whether the token is still good (`granted`, scimTokenStillValid) and, only if it
 * is, which account has the name — so a lookup answers nothing to a revoked token, and costs no
 * token lookup of its own.
 */
export async function findScimAccountByUserNameGuarded(
  db: Tx,
  organizationId: string,
  userName: string,
  guard: Pick<ScimGuard, 'tokenId' | 'tokenHash'>,
): Promise<{ granted: boolean; found: AccountWithGroups | null }> {
  const [row] = await accountByUserNameGuarded(db).execute({ organizationId, userName, tokenId: guard.tokenId, tokenHash: guard.tokenHash });
  if (!row?.granted) return { granted: false, found: null };
  const { granted: _granted, ...account } = row;
  return { granted: true, found: account.id === null ? null : withGroups(account as Parameters<typeof withGroups>[0]) };
}

const accountByUserNameGuarded = builtOnce((db) => {
  const token = db.$with('token').as(db.select({ ok: sql<boolean>`${scimTokenStillValid()}`.as('ok') }).from(sql`(select 1) one`));
  return db
    .with(token)
    .select({ ...scimUserColumns, groups: groupsColumn, granted: token.ok })
    .from(token)
    .leftJoin(
      accounts,
      and(sql`${token.ok}`, visible(sql`${sql.placeholder('organizationId')}::uuid`), sql`lower(${accounts.userName}) = lower(${sql.placeholder('userName')}::text)`),
    )
    .prepare('scim_account_by_user_name_guarded');
});

const accountByUserName = builtOnce((db) =>
  db
    .select({ ...scimUserColumns, groups: groupsColumn })
    .from(accounts)
    .where(and(visible(sql`${sql.placeholder('organizationId')}::uuid`), sql`lower(${accounts.userName}) = lower(${sql.placeholder('userName')}::text)`))
    .prepare('scim_account_by_user_name'),
);

export type ScimPage = { where: SQL | null; sort: SQL | null; descending: boolean; offset: number; limit: number };

/**
 * One page in a stable order (the sort key, then id), with each account's groups, and the total.
 * The page's ids are found first (index entries, not rows: accounts_org_visible_id_idx in the
 * default order); the total is counted only when the page does not already tell it — except the
 * unfiltered total, a cheap sum of counters, read in the same statement as the page.
 *
 * The page size is written into the SQL (a whole number from 0 to MAX_RESULTS, so a handful of
 * statement texts): with LIMIT as a parameter, the prepared statement's generic plan assumes a
 * tenth of the table and hash-joins it — 130 ms a page at 100k accounts instead of 15.
 */
export async function findScimAccounts(db: Tx, organizationId: string, page: ScimPage): Promise<{ rows: AccountWithGroups[]; total: number }> {
  const condition = page.where ? and(visible(organizationId), page.where)! : visible(organizationId);
  const direction = page.descending ? desc : asc;
  const order = [...(page.sort ? [page.descending ? sql`${page.sort} desc nulls last` : sql`${page.sort} asc nulls last`] : []), direction(accounts.id)];
  const limit = Math.max(0, Math.trunc(page.limit));
  const unfiltered = !page.where && !page.sort;
  // Unfiltered, each row also carries the counters' total (same statement, same snapshot): no count
  // query. The unfiltered page (what IdPs walk) is built once per direction and size (built-once.ts),
  // not per request: building it was a fifth of a page's CPU.
  const result =
    limit === 0
      ? []
      : unfiltered
        ? await unfilteredPage(db, `${page.descending ? 'desc' : 'asc'}:${limit}`).execute({ organizationId, offset: page.offset })
        : await pageQuery(db, offsetScan(condition, order, limit, page.offset), order, sql<null>`null::int`).execute();
  const rows = result.map(withGroups);
  const known = rows.length > 0 ? rows.length < limit : page.offset === 0 && limit > 0;
  const counted = result[0]?.total ?? null;
  const total = known ? page.offset + rows.length : (counted ?? (unfiltered ? await countVisibleAccounts(db, organizationId) : await countWhere(db, condition)));
  return { rows, total };
}

function pageQuery(db: Tx, pageIds: SQL, order: SQL[], total: SQL<number | null>, withs: WithSubquery[] = []) {
  return db
    .with(...withs)
    .select({ ...scimUserColumns, groups: groupsColumn, total })
    .from(accounts)
    .where(sql`${accounts.id} in (${pageIds})`)
    .orderBy(...order)
    .prepare('scim_accounts_page');
}

/**
 * The unfiltered page (what IdPs walk), in id order. A deep OFFSET walks every index entry before
 * it (about 0.2 µs each: 20 ms at 100k accounts), so the walk starts at the slot the page begins in
 * instead: account_counts keeps the visible accounts of each of 256 consecutive ranges of the id
 * order (slot = the id's first byte, roster_account_slot), so a running sum over at most 256 rows
 * says which slot holds position `offset` and how many accounts come before it; the page is then
 * read from that slot's first id, skipping only the rest — at most one slot's accounts (about 400
 * at 100k, 3,900 at a million: with 64 slots, 15,600 and up to 3 ms a page). The counters are kept
 * by a deferred trigger in each writer's transaction and read in this one statement, so they
 * describe exactly the rows the scan sees. Descending pages count slots from the top and read down
 * from the slot's last id.
 */
const unfilteredPage = builtOncePer((db, key: `${'asc' | 'desc'}:${number}`) => {
  const [direction, size] = key.split(':') as ['asc' | 'desc', string];
  const descending = direction === 'desc';
  const organizationId = sql`${sql.placeholder('organizationId')}::uuid`;
  const offset = sql`${sql.placeholder('offset')}::int`;
  const dir = sql.raw(descending ? 'desc' : 'asc');
  const slots = db.$with('page_slots').as(
    db
      .select({
        slot: sql<number>`${accountCounts.slot}`.as('slot'),
        visible: sql<number>`${accountCounts.visible}`.as('visible'),
        before: sql<number>`coalesce(sum(${accountCounts.visible}) over (order by ${accountCounts.slot} ${dir} rows between unbounded preceding and 1 preceding), 0)::int`.as('before'),
      })
      .from(accountCounts)
      .where(eq(accountCounts.organizationId, organizationId)),
  );
  const start = db.$with('page_start').as(
    db
      .select({ slot: slots.slot, before: slots.before })
      .from(slots)
      .where(sql`${slots.before} <= ${offset} and ${offset} < ${slots.before} + ${slots.visible}`)
      .orderBy(sql`${slots.slot} ${dir}`)
      .limit(1),
  );
  const total = sql<number>`(select coalesce(sum(${slots.visible}), 0)::int from ${slots})`;
  // The slot's first id (ascending) or last id (descending): its byte, then all zeros or all ones.
  const edge = descending
    ? sql`(select (lpad(to_hex(${start.slot}), 2, '0') || 'ffffff-ffff-ffff-ffff-ffffffffffff')::uuid from ${start})`
    : sql`(select (lpad(to_hex(${start.slot}), 2, '0') || '000000-0000-0000-0000-000000000000')::uuid from ${start})`;
  const pageIds = sql`select ${accounts.id} from ${accounts}
    where ${accounts.organizationId} = ${organizationId} and ${accounts.status} <> 'deprovisioned' and ${accounts.id} ${sql.raw(descending ? '<=' : '>=')} ${edge}
    order by ${accounts.id} ${dir} limit ${sql.raw(String(Number(size)))} offset (${offset} - (select ${start.before} from ${start}))`;
  return pageQuery(db, pageIds, [descending ? desc(accounts.id) : asc(accounts.id)], total, [slots, start]);
});

/** The page's ids: skip `offset` index entries in the page's order. */
function offsetScan(condition: SQL, order: SQL[], limit: number, offset: number): SQL {
  return sql`select ${accounts.id} from ${accounts} where ${condition} order by ${sql.join(order, sql`, `)} limit ${sql.raw(String(limit))} offset ${offset}::int`;
}

async function countWhere(db: Tx, condition: SQL): Promise<number> {
  const [row] = await db.select({ value: count() }).from(accounts).where(condition).prepare('scim_accounts_count').execute();
  return row?.value ?? 0;
}

/** Accounts not deprovisioned, from the trigger-kept counters (a sum of at most 64 rows, not a 100k-row count). */
async function countVisibleAccounts(db: Tx, organizationId: string): Promise<number> {
  const [row] = await db
    .select({ value: sql<string | null>`sum(${accountCounts.visible})` })
    .from(accountCounts)
    .where(eq(accountCounts.organizationId, organizationId))
    .prepare('visible_account_count')
    .execute();
  return Number(row?.value ?? 0);
}

/** The groups of these accounts (one query). */
export async function findGroupsOfAccounts(db: Tx, organizationId: string, accountIds: string[]): Promise<AccountGroup[]> {
  accountIds = accountIds.filter((id) => UUID.test(id)); // ids from a URL may be anything
  if (accountIds.length === 0) return [];
  return groupsOfAccounts(db).execute({ organizationId, ids: `{${accountIds.join(',')}}` });
}

const groupsOfAccounts = builtOnce((db) =>
  db
    .select({ accountId: groupMemberships.accountId, groupId: groups.id, displayName: groups.displayName })
    .from(groupMemberships)
    .innerJoin(groups, eq(groups.id, groupMemberships.groupId))
    .where(and(sql`${groupMemberships.organizationId} = ${sql.placeholder('organizationId')}::uuid`, sql`${groupMemberships.accountId} = any(${sql.placeholder('ids')}::uuid[])`))
    .orderBy(asc(groups.displayName))
    .prepare('groups_of_accounts'),
);

/** Which of these ids are visible accounts of the organization (group members must be). */
export async function findScimAccountIds(db: Tx, organizationId: string, ids: string[]): Promise<string[]> {
  const wellFormed = [...new Set(ids.filter((id) => UUID.test(id)))];
  if (wellFormed.length === 0) return [];
  const rows = await db.select({ id: accounts.id }).from(accounts).where(and(visible(organizationId), inArray(accounts.id, wellFormed))).prepare('scim_account_ids').execute();
  return rows.map((r) => r.id);
}
