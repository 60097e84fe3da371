import { and, asc, count, desc, eq, inArray, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accountDisplayKey, accountLastLoginKey, accounts, accountStatusEnum } from '@/db/schema';
import type { AccountCondition } from './console-account-filter';
import { isTimestampText } from './console-cursor';

/**
 * How a page of the console's account list is read (console-accounts.ts decides which way):
 * - walking: along the order's index from the cursor, keeping rows that match, until the page is
 *   full. Fast when many accounts match (the page fills within a few thousand index entries);
 * - from the matches: every matching account first (few, from the filter's own indexes), then the
 *   page sorted out of them, and their number, in one statement. Walking for a filter that only a
 *   few thousand accounts match would read most of a million-entry index to fill the page (and an
 *   empty filter, all of it).
 */
export type ConsoleAccountSortBy = 'userName' | 'displayName' | 'status' | 'lastLoginAt' | 'createdAt';
export type ConsoleAccountSort = { by: ConsoleAccountSortBy; dir: 'asc' | 'desc' };
/** From the first row (or the last, backwards), or after (before) a position. */
export type Reading = 'first' | 'after' | 'before' | 'last';
type At = { key: unknown; id: unknown };

export const rowColumns = {
  id: accounts.id,
  userName: accounts.userName,
  email: accounts.email,
  displayName: accounts.displayName,
  department: accounts.department,
  title: accounts.title,
  status: accounts.status,
  source: accounts.source,
  lastLoginAt: accounts.lastLoginAt,
  createdAt: accounts.createdAt,
};

/**
 * Each order's key, as its index (db/schema.ts) says it: displayName is the name shown (display
 * name, else user name), lastLoginAt puts never at the very beginning (ascending) or end
 * (descending), status follows the enum (active, suspended, deprovisioned, pending_approval).
 */
export const sortKeys: Record<ConsoleAccountSortBy, { key: SQL; type: string; valid: (key: string) => boolean }> = {
  userName: { key: sql`lower(${accounts.userName})`, type: 'text', valid: () => true },
  displayName: { key: accountDisplayKey(accounts), type: 'text', valid: () => true },
  status: { key: sql`${accounts.status}`, type: 'account_status', valid: (k) => (accountStatusEnum.enumValues as string[]).includes(k) },
  lastLoginAt: { key: accountLastLoginKey(accounts), type: 'timestamptz', valid: isTimestampText },
  createdAt: { key: sql`${accounts.createdAt}`, type: 'timestamptz', valid: isTimestampText },
};

function reading(sort: ConsoleAccountSort, how: Reading) {
  const ascending = (sort.dir === 'asc') === (how === 'first' || how === 'after');
  const seek = how === 'after' || how === 'before' ? sql.raw(ascending ? '>' : '<') : null;
  return { direction: ascending ? asc : desc, seek, type: sql.raw(sortKeys[sort.by].type) };
}

/** Walking: the rows after (before) a position in the order, in reading order, each with its key as text. */
export function walkQuery(db: Tx, condition: SQL, sort: ConsoleAccountSort, how: Reading, at: At, limit: number | Placeholder) {
  const { key } = sortKeys[sort.by];
  const { direction, seek, type } = reading(sort, how);
  const keyset = seek ? sql`(${key}, ${accounts.id}) ${seek} (${at.key}::${type}, ${at.id}::uuid)` : sql`true`;
  return db
    .select({ ...rowColumns, sortKey: sql<string>`(${key})::text` })
    .from(accounts)
    .where(sql`${condition} and ${keyset}`)
    .orderBy(direction(key), direction(accounts.id))
    .limit(limit);
}

/**
 * Walking, but at most `budget` index entries from the position: a filter whose matches all sit
 * far along the order (suspended SCIM accounts, sorted by a name they happen to share) would
 * otherwise read most of the index to fill one page. Returns null when the budget ran out before
 * the page filled: the caller then reads the page from the matches.
 *
 * The walk is a subquery over the order's index (LIMIT budget) named `accounts`, so the filter's
 * condition applies to it as written, in WHERE (its IN and EXISTS clauses stay semi-joins; in a
 * select list they would be re-run per row). The outer ORDER BY is the subquery's own order, so
 * the plan stays pipelined and stops at the page's last match. When the page did not fill, one
 * index-only probe says whether the walk stopped at the budget (more entries follow) or at the end.
 */
export async function boundedWalk(db: Tx, organizationId: string, condition: SQL, sort: ConsoleAccountSort, how: Reading, at: At, limit: number, budget: number) {
  const { key } = sortKeys[sort.by];
  const { direction, seek, type } = reading(sort, how);
  const dir = sql.raw(direction === asc ? 'asc' : 'desc');
  const keyset = seek ? sql`(${key}, ${accounts.id}) ${seek} (${at.key}::${type}, ${at.id}::uuid)` : sql`true`;
  const within = sql`${accounts.organizationId} = ${organizationId} and ${keyset}`;
  const rows = await db.execute<Record<string, unknown>>(sql`
    select ${sql.join(Object.values(rowColumns).map((c) => sql`${c}`), sql`, `)}, "accounts".walk_key::text as "sortKey"
    from (select *, ${key} as walk_key from ${accounts} where ${within} order by ${key} ${dir}, ${accounts.id} ${dir} limit ${budget}) as "accounts"
    where ${condition}
    order by "accounts".walk_key ${dir}, ${accounts.id} ${dir}
    limit ${limit}`);
  const hits = [...rows].map(toRow);
  if (hits.length >= limit) return hits;
  const beyond = await db.execute(sql`select 1 from ${accounts} where ${within} order by ${key} ${dir}, ${accounts.id} ${dir} offset ${budget - 1} limit 1`);
  return beyond.length > 0 ? null : hits;
}

/** A raw row of the walk, typed as the drizzle select of rowColumns would be. */
function toRow(r: Record<string, unknown>) {
  const at = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return {
    id: r.id as string,
    userName: r.user_name as string,
    email: (r.email ?? null) as string | null,
    displayName: (r.display_name ?? null) as string | null,
    department: (r.department ?? null) as string | null,
    title: (r.title ?? null) as string | null,
    status: r.status as (typeof accountStatusEnum.enumValues)[number],
    source: r.source as 'jit' | 'scim' | 'manual',
    lastLoginAt: at(r.last_login_at),
    createdAt: at(r.created_at) as Date,
    sortKey: r.sortKey as string,
  };
}


/**
 * From the matches: the same page, each row also carrying how many accounts match. The matches
 * (id and key only, so a few thousand fit in memory) are a CTE read twice (the page's ids, their
 * count), which PostgreSQL therefore computes once; the page's rows are then read by id.
 */
export function fromMatchesQuery(db: Tx, organizationId: string, condition: SQL, sort: ConsoleAccountSort, how: Reading, at: At, limit: number) {
  const { key } = sortKeys[sort.by];
  const { direction, seek, type } = reading(sort, how);
  const matched = db.$with('matched').as(db.select({ id: accounts.id, k: sql`${key}`.as('k') }).from(accounts).where(condition));
  const keyset = seek ? sql`(${matched.k}, ${matched.id}) ${seek} (${at.key}::${type}, ${at.id}::uuid)` : sql`true`;
  const pageIds = db.select({ id: matched.id }).from(matched).where(keyset).orderBy(direction(matched.k), direction(matched.id)).limit(limit);
  return db
    .with(matched)
    .select({ ...rowColumns, sortKey: sql<string>`(${key})::text`, total: sql<number>`(select count(*) from "matched")::int` })
    .from(accounts)
    .where(and(eq(accounts.organizationId, organizationId), inArray(accounts.id, pageIds)))
    .orderBy(direction(key), direction(accounts.id));
}

/**
 * Up to this many matches (counted, or the planner's estimate) a page is read from the matches;
 * beyond, by walking: 25,000 matches read that way cost about 50 ms. A setting only tests change
 * (to read both ways on a few rows). A walk reads at most `walkBudget` index entries (boundedWalk).
 */
export const accountReading = { fewMatches: 25_000, walkBudget: 10_000 };

/** The planner's estimate of the accounts a condition matches (EXPLAIN, nothing run): about 1 ms. */
export async function estimateMatches(db: Tx, condition: SQL): Promise<number> {
  const [row] = await db.execute<{ 'QUERY PLAN': string | [{ Plan: { 'Plan Rows': number } }] }>(sql`explain (format json) select 1 from ${accounts} where ${condition}`);
  const plan = row?.['QUERY PLAN'];
  const parsed = typeof plan === 'string' ? (JSON.parse(plan) as [{ Plan: { 'Plan Rows': number } }]) : plan;
  return parsed?.[0]?.Plan?.['Plan Rows'] ?? Number.POSITIVE_INFINITY;
}

/**
 * The exact number of matches. A filter of connection, role or group only is counted in their own
 * indexes (an account holding a role twice, by rule and by hand, counts once; the account's
 * organization is the membership's, by foreign key); anything else, in accounts with the filter.
 */
export async function countMatches(db: Tx, filter: AccountCondition): Promise<number> {
  if (!filter.onAccounts && filter.memberships.length > 0) {
    const members = sql.join(filter.memberships, sql` intersect `);
    const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from (${filter.memberships.length > 1 ? members : sql`select distinct * from (${members}) m`}) held`);
    return Number(row?.n ?? 0);
  }
  const [row] = await db.select({ value: count() }).from(accounts).where(filter.condition);
  return row?.value ?? 0;
}
