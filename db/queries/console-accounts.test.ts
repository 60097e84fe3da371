import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedConsoleOrganization, type ConsoleOrganization, type SeededAccount } from '@/lib/console/testing/console-fixtures';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { accountReading } from './console-account-read';
import { findConsoleAccounts, type ConsoleAccountQuery, type ConsoleAccountSort } from './console-accounts';
import { encodeCursor } from './console-cursor';

/**
 * Keyset pages in every order, both ways: following nextCursor from the first page, and prevCursor
 * from the last, reads exactly the accounts of ORDER BY key, id (computed here from the rows as
 * stored), once each, however many share a key; unfiltered (the built-once statement), filtered
 * walking the order's index, and filtered read from the matches.
 */
const db = testDb();
let seeded: ConsoleOrganization;
const { fewMatches, walkBudget } = accountReading;

beforeAll(async () => {
  seeded = await seedConsoleOrganization(db);
});
afterEach(() => void Object.assign(accountReading, { fewMatches, walkBudget }));
afterAll(closeTestDb);

const statusOrder = ['active', 'suspended', 'deprovisioned', 'pending_approval'];
const keyOf: Record<ConsoleAccountSort['by'], (a: SeededAccount) => string | number> = {
  userName: (a) => a.userName.toLowerCase(),
  displayName: (a) => (a.displayName ?? a.userName).toLowerCase(),
  status: (a) => statusOrder.indexOf(a.status),
  lastLoginAt: (a) => a.lastLoginAt?.getTime() ?? Number.NEGATIVE_INFINITY,
  createdAt: (a) => a.createdAt.getTime(),
};

function expected(sort: ConsoleAccountSort, keep: (a: SeededAccount) => boolean = () => true): string[] {
  const compare = (a: SeededAccount, b: SeededAccount) => {
    const [x, y] = [keyOf[sort.by](a), keyOf[sort.by](b)];
    const byKey = x < y ? -1 : x > y ? 1 : 0;
    return byKey || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  };
  const ordered = seeded.accounts.filter(keep).sort(compare);
  return (sort.dir === 'asc' ? ordered : ordered.reverse()).map((a) => a.id);
}

/** Every page forwards from the first, then backwards from the last; the ids in display order each way. */
async function readAll(query: Omit<ConsoleAccountQuery, 'limit'>, limit = 7) {
  const forwards: string[] = [];
  let page = await findConsoleAccounts(db, seeded.org.id, { ...query, limit });
  expect(page.prevCursor).toBeNull();
  for (let guard = 0; ; guard++) {
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    forwards.push(...page.rows.map((r) => r.id));
    if (!page.nextCursor || guard > 100) break;
    page = await findConsoleAccounts(db, seeded.org.id, { ...query, limit, cursor: page.nextCursor });
  }
  const backwards: string[] = [];
  page = await findConsoleAccounts(db, seeded.org.id, { ...query, limit, direction: 'prev' });
  expect(page.nextCursor).toBeNull();
  for (let guard = 0; ; guard++) {
    backwards.unshift(...page.rows.map((r) => r.id));
    if (!page.prevCursor || guard > 100) break;
    page = await findConsoleAccounts(db, seeded.org.id, { ...query, limit, cursor: page.prevCursor, direction: 'prev' });
  }
  return { forwards, backwards, total: page.total };
}

const sorts: ConsoleAccountSort[] = (['userName', 'displayName', 'status', 'lastLoginAt', 'createdAt'] as const).flatMap((by) => [
  { by, dir: 'asc' as const },
  { by, dir: 'desc' as const },
]);

describe('console account pages', () => {
  it.each(sorts)('unfiltered, by $by $dir: every account once, in order, both ways', async (sort) => {
    const all = await readAll({ sort });
    expect(all.forwards).toEqual(expected(sort));
    expect(all.backwards).toEqual(expected(sort));
    expect(all.total).toBe(seeded.accounts.length);
  });

  it.each(sorts)('filtered, by $by $dir: the same, walking the order and from the matches', async (sort) => {
    const query = { sort, status: ['active', 'suspended', 'pending_approval'] as const };
    // Walking, walking with a budget too small to fill a page (read from the matches instead), from the matches.
    for (const [few, budget] of [[0, walkBudget], [0, 2], [Number.POSITIVE_INFINITY, walkBudget]] as const) {
      Object.assign(accountReading, { fewMatches: few, walkBudget: budget });
      // Status alone is counted by the counters; with a sign-in filter it is counted and read by the filter.
      const filtered = await readAll({ ...query, status: [...query.status], neverSignedIn: undefined });
      expect(filtered.forwards).toEqual(expected(sort, (a) => a.status !== 'deprovisioned'));
      const signedIn = await readAll({ ...query, status: [...query.status], neverSignedIn: false }, 5);
      expect(signedIn.forwards).toEqual(expected(sort, (a) => a.status !== 'deprovisioned' && a.lastLoginAt !== null));
      expect(signedIn.backwards).toEqual(signedIn.forwards);
      expect(signedIn.total).toBe(signedIn.forwards.length);
    }
  });

  it('goes back from a page to the one before it, and past the end finds nothing', async () => {
    const sort = { by: 'createdAt', dir: 'desc' } as const;
    const first = await findConsoleAccounts(db, seeded.org.id, { sort, limit: 10 });
    const second = await findConsoleAccounts(db, seeded.org.id, { sort, limit: 10, cursor: first.nextCursor });
    const back = await findConsoleAccounts(db, seeded.org.id, { sort, limit: 10, cursor: second.prevCursor, direction: 'prev' });
    expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    expect(back.prevCursor).toBeNull();
    const beyond = await findConsoleAccounts(db, seeded.org.id, { sort, limit: 10, cursor: encodeCursor('accounts:createdAt:desc', { key: '-infinity', id: first.rows[0]!.id }) });
    expect(beyond.rows).toEqual([]);
    expect(beyond.nextCursor).toBeNull();
  });

  it('ignores a cursor made for another order, or not made by it', async () => {
    const sort = { by: 'userName', dir: 'asc' } as const;
    const first = await findConsoleAccounts(db, seeded.org.id, { sort, limit: 5 });
    const other = await findConsoleAccounts(db, seeded.org.id, { sort: { by: 'status', dir: 'asc' }, limit: 5 });
    for (const cursor of [other.nextCursor, 'not a cursor', encodeCursor('accounts:userName:asc', { key: 'x', id: 'not-a-uuid' })]) {
      const page = await findConsoleAccounts(db, seeded.org.id, { sort, limit: 5, cursor });
      expect(page.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    }
    const timestamp = encodeCursor('accounts:lastLoginAt:desc', { key: "2026-01-01'; drop table accounts; --", id: first.rows[0]!.id });
    const page = await findConsoleAccounts(db, seeded.org.id, { sort: { by: 'lastLoginAt', dir: 'desc' }, limit: 5, cursor: timestamp });
    expect(page.prevCursor).toBeNull();
  });

  it('returns the columns the list shows, and clamps the page size to 1-200', async () => {
    const page = await findConsoleAccounts(db, seeded.org.id, { sort: { by: 'userName', dir: 'asc' }, limit: 1000 });
    expect(page.rows).toHaveLength(seeded.accounts.length);
    const a = seeded.accounts.find((x) => x.id === page.rows[0]!.id)!;
    expect(page.rows[0]).toEqual({ id: a.id, userName: a.userName, email: a.email, displayName: a.displayName, department: expect.any(String), title: 'Engineer', status: a.status, source: a.source, lastLoginAt: a.lastLoginAt, createdAt: a.createdAt });
    expect((await findConsoleAccounts(db, seeded.org.id, { sort: { by: 'userName', dir: 'asc' }, limit: 0 })).rows).toHaveLength(1);
  });
});
