import { asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accounts, type AccountStatus } from '@/db/schema';
import { builtOncePer } from './built-once';
import { accountFilterCondition, onlyStatusAndSource, type AccountCondition, type ConsoleAccountFilter } from './console-account-filter';
import {
  accountReading,
  boundedWalk,
  countMatches,
  estimateMatches,
  fromMatchesQuery,
  sortKeys,
  walkQuery,
  type ConsoleAccountSort,
  type ConsoleAccountSortBy,
  type Reading,
} from './console-account-read';
import { getAccountTotals, type AccountSource } from './console-counts';
import { decodeCursor, pageOf, type Direction, type Position } from './console-cursor';

export type { ConsoleAccountFilter } from './console-account-filter';
export type { ConsoleAccountSort, ConsoleAccountSortBy } from './console-account-read';
export type { AccountSource } from './console-counts';

/**
 * The console's account list at a million accounts: keyset pages (never OFFSET) in one of five
 * orders, each an index of its own (organization, key, id; db/schema.ts), with the exact total for
 * the same filter. Unfiltered, or by statuses and sources only, the total is a sum of counters
 * (console-counts.ts); otherwise it is counted with the filter's indexes. A filter few accounts
 * match is read from its matches, one many match by walking the order (console-account-read.ts);
 * which one, the counters or the planner's estimate say. The unfiltered page's SQL is built once
 * per order; a filtered page's is built per call and planned with its values.
 */
export type ConsoleAccountQuery = ConsoleAccountFilter & {
  sort: ConsoleAccountSort;
  /** 1 to 200. */
  limit: number;
  /** nextCursor or prevCursor of a page in the same order; absent: the first page ('prev': the last page). */
  cursor?: string | null;
  direction?: Direction;
};

export type ConsoleAccountRow = {
  id: string;
  userName: string;
  email: string | null;
  displayName: string | null;
  department: string | null;
  title: string | null;
  status: AccountStatus;
  source: AccountSource;
  lastLoginAt: Date | null;
  createdAt: Date;
};
export type ConsoleAccountPage = { rows: ConsoleAccountRow[]; total: number; nextCursor: string | null; prevCursor: string | null };

type Plan =
  | { mode: 'none' }
  | { mode: 'unfiltered' }
  | { mode: 'walk' | 'matches'; filter: AccountCondition; total: number | null };

/** How to read the filter's pages, and its total when counters already know it. */
async function planFor(db: Tx, organizationId: string, filter: ConsoleAccountFilter): Promise<Plan> {
  const statuses = filter.status?.length ? filter.status : undefined;
  const sources = filter.source?.length ? filter.source : undefined;
  const counted = onlyStatusAndSource(filter);
  if (counted && !statuses && !sources) return { mode: 'unfiltered' };
  const condition = await accountFilterCondition(db, organizationId, filter);
  if (!condition) return { mode: 'none' };
  const total = counted ? (await getAccountTotals(db, organizationId)).count(statuses, sources) : null;
  const matches = total ?? (await estimateMatches(db, condition.condition));
  return { mode: matches <= accountReading.fewMatches ? 'matches' : 'walk', filter: condition, total };
}

/** The unfiltered pages (the list as it opens), built once per order and way of reading. */
const unfilteredPage = builtOncePer((db, variant: `${ConsoleAccountSortBy}:${'asc' | 'desc'}:${Reading}`) => {
  const [by, dir, how] = variant.split(':') as [ConsoleAccountSortBy, 'asc' | 'desc', Reading];
  const condition = eq(accounts.organizationId, sql.placeholder('organizationId'));
  return walkQuery(db, condition, { by, dir }, how, { key: sql.placeholder('key'), id: sql.placeholder('id') }, sql.placeholder('limit')).prepare(`console_accounts_${by}_${dir}_${how}`);
});

type Page = { rows: ConsoleAccountRow[]; nextCursor: string | null; prevCursor: string | null; total: number | null };
type Read = ConsoleAccountRow & { sortKey: string; total?: number };

async function readPage(db: Tx, organizationId: string, plan: Plan, query: ConsoleAccountQuery, maxLimit = 200): Promise<Page> {
  const limit = Math.min(Math.max(Math.trunc(query.limit) || 1, 1), maxLimit);
  const order = `accounts:${query.sort.by}:${query.sort.dir}`;
  const direction = query.direction ?? 'next';
  const from = decodeCursor(query.cursor, order, sortKeys[query.sort.by].valid);
  const how: Reading = from ? (direction === 'next' ? 'after' : 'before') : direction === 'next' ? 'first' : 'last';
  const at = { key: from?.key ?? null, id: from?.id ?? null };
  let read: Read[] = [];
  if (plan.mode === 'unfiltered') read = await unfilteredPage(db, `${query.sort.by}:${query.sort.dir}:${how}`).execute({ organizationId, ...at, limit: limit + 1 });
  if (plan.mode === 'walk') read = (await boundedWalk(db, organizationId, plan.filter.condition, query.sort, how, at, limit + 1, accountReading.walkBudget)) ?? (await fromMatchesQuery(db, organizationId, plan.filter.condition, query.sort, how, at, limit + 1));
  if (plan.mode === 'matches') read = await fromMatchesQuery(db, organizationId, plan.filter.condition, query.sort, how, at, limit + 1);
  const positionOf = (row: Read): Position => ({ key: row.sortKey, id: row.id });
  const page = pageOf(read, limit, direction, from, positionOf, order);
  const total = plan.mode === 'matches' ? (read[0]?.total ?? null) : null;
  return { ...page, rows: page.rows.map(({ sortKey: _key, total: _total, ...row }) => row), total };
}

async function totalOf(db: Tx, organizationId: string, plan: Plan): Promise<number> {
  if (plan.mode === 'none') return 0;
  if (plan.mode === 'unfiltered') return (await getAccountTotals(db, organizationId)).total;
  return plan.total ?? countMatches(db, plan.filter);
}

/**
 * A page now, and its exact total as a promise: known at once from the counters (unfiltered, or by
 * statuses and sources) or with the page (read from the matches); otherwise counted alongside it.
 * The console streams the total in after the page (counting 100k matches of a search at 1M
 * accounts reads much of the table; the page itself is one short index walk).
 */
export async function findConsoleAccountsStreamed(db: Tx, organizationId: string, query: ConsoleAccountQuery): Promise<{ page: Omit<ConsoleAccountPage, 'total'>; total: Promise<number> }> {
  const plan = await planFor(db, organizationId, query);
  const known = plan.mode === 'none' ? 0 : plan.mode === 'walk' || plan.mode === 'matches' ? plan.total : null;
  const counting = known === null && plan.mode !== 'matches' ? totalOf(db, organizationId, plan) : null;
  // The caller awaits it later (or not at all, if the page fails): never an unhandled rejection.
  counting?.catch(() => undefined);
  const page = await readPage(db, organizationId, plan, query);
  const total = known !== null ? Promise.resolve(known) : (counting ?? (page.total !== null ? Promise.resolve(page.total) : totalOf(db, organizationId, plan)));
  return { page: { rows: page.rows, nextCursor: page.nextCursor, prevCursor: page.prevCursor }, total };
}

export async function findConsoleAccounts(db: Tx, organizationId: string, query: ConsoleAccountQuery): Promise<ConsoleAccountPage> {
  const { page, total } = await findConsoleAccountsStreamed(db, organizationId, query);
  return { ...page, total: await total };
}

export type ConsoleAccountSelection = ConsoleAccountFilter & { sort?: ConsoleAccountSort };

/** The ids of the first `limit` accounts matching the filter, in the list's order (default: user name): bulk actions over a filter. */
export async function findAccountIdsForFilter(db: Tx, organizationId: string, query: ConsoleAccountSelection, limit: number): Promise<string[]> {
  const sort = query.sort ?? { by: 'userName', dir: 'asc' };
  const plan = await planFor(db, organizationId, query);
  if (plan.mode === 'none' || limit < 1) return [];
  const condition: SQL = plan.mode === 'unfiltered' ? eq(accounts.organizationId, organizationId) : plan.filter.condition;
  const { key } = sortKeys[sort.by];
  const dir = sql.raw(sort.dir === 'asc' ? 'asc' : 'desc');
  const rows =
    plan.mode === 'matches'
      ? await db.execute<{ id: string }>(sql`with matched as materialized (select ${accounts.id} as id, ${key} as k from ${accounts} where ${condition})
          select id from matched order by k ${dir}, id ${dir} limit ${Math.trunc(limit)}`)
      : await db.select({ id: accounts.id }).from(accounts).where(condition).orderBy((sort.dir === 'asc' ? asc : desc)(key), (sort.dir === 'asc' ? asc : desc)(accounts.id)).limit(Math.trunc(limit));
  return [...rows].map((r) => r.id);
}

/**
 * Every account matching the filter, in the list's order (default: user name), read in keyset
 * batches of `batchSize` (one short query each, no transaction held open): for CSV export, which
 * never holds more than one batch. Rows written meanwhile may or may not appear; none appears twice.
 */
export async function* streamConsoleAccounts(db: Tx, organizationId: string, query: ConsoleAccountSelection, batchSize = 1000): AsyncGenerator<ConsoleAccountRow> {
  const sort = query.sort ?? { by: 'userName', dir: 'asc' };
  const plan = await planFor(db, organizationId, query);
  let cursor: string | null = null;
  do {
    const page: Page = await readPage(db, organizationId, plan, { ...query, sort, limit: batchSize, cursor, direction: 'next' }, 10_000);
    yield* page.rows;
    cursor = page.nextCursor;
  } while (cursor);
}
