import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BASE, holdsRole, inGroup, onConnection, seedConsoleOrganization, type ConsoleOrganization, type SeededAccount } from '@/lib/console/testing/console-fixtures';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { accountReading } from './console-account-read';
import { findAccountIdsForFilter, findConsoleAccounts, streamConsoleAccounts, type ConsoleAccountFilter } from './console-accounts';

/**
 * Each filter of the console's account list, alone and combined, read both ways (walking the
 * order, from the matches): exactly the accounts it describes, their exact total, and never an
 * account of another organization (whose look-alikes share names, connection, role and group names).
 */
const db = testDb();
let seeded: ConsoleOrganization;
const { fewMatches, walkBudget } = accountReading;
const day = 86_400_000;

beforeAll(async () => {
  seeded = await seedConsoleOrganization(db);
});
afterEach(() => void Object.assign(accountReading, { fewMatches, walkBudget }));
afterAll(closeTestDb);

const sort = { by: 'userName', dir: 'asc' } as const;
const ids = (keep: (a: SeededAccount) => boolean) => seeded.accounts.filter(keep).map((a) => a.id).sort();
const mentions = (a: SeededAccount, text: string) => [a.userName, a.email ?? '', a.displayName ?? ''].some((v) => v.toLowerCase().includes(text));
const starts = (a: SeededAccount, text: string) => [a.userName, a.email ?? '', a.displayName ?? a.userName].some((v) => v.toLowerCase().startsWith(text));

/** The filter as the page reads it: all pages (both ways of reading), the total of each, and the ids for bulk actions and export. */
async function matching(filter: ConsoleAccountFilter) {
  const results: { ids: string[]; total: number }[] = [];
  // Walking (with a budget that fills pages, then one so small every page falls back to the matches), and from the matches.
  for (const [few, budget] of [[0, walkBudget], [0, 3], [Number.POSITIVE_INFINITY, walkBudget]] as const) {
    accountReading.fewMatches = few;
    accountReading.walkBudget = budget;
    const found: string[] = [];
    let cursor: string | null = null;
    let total = -1;
    do {
      const page: Awaited<ReturnType<typeof findConsoleAccounts>> = await findConsoleAccounts(db, seeded.org.id, { ...filter, sort, limit: 8, cursor });
      found.push(...page.rows.map((r) => r.id));
      total = page.total;
      cursor = page.nextCursor;
    } while (cursor);
    results.push({ ids: found.sort(), total });
    const bulk = await findAccountIdsForFilter(db, seeded.org.id, { ...filter, sort }, 1000);
    const streamed: string[] = [];
    for await (const row of streamConsoleAccounts(db, seeded.org.id, { ...filter, sort }, 6)) streamed.push(row.id);
    expect(streamed).toEqual(bulk);
    expect([...bulk].sort()).toEqual(found);
  }
  expect(results[1]).toEqual(results[0]);
  expect(results[2]).toEqual(results[0]);
  return results[0]!;
}

async function expectFilter(filter: ConsoleAccountFilter, keep: (a: SeededAccount) => boolean) {
  const want = ids(keep);
  expect(want.length).toBeGreaterThan(0);
  const got = await matching(filter);
  expect(got).toEqual({ ids: want, total: want.length });
}

describe('console account filters', () => {
  it('status and source (counted by the counters)', async () => {
    await expectFilter({ status: ['suspended'] }, (a) => a.status === 'suspended');
    await expectFilter({ status: ['active', 'pending_approval'] }, (a) => a.status === 'active' || a.status === 'pending_approval');
    await expectFilter({ source: ['scim'] }, (a) => a.source === 'scim');
    await expectFilter({ status: ['active'], source: ['jit', 'manual'] }, (a) => a.status === 'active' && a.source !== 'scim');
  });

  it('connection, role in force (lapsed grants excluded, two grants count once) and group', async () => {
    await expectFilter({ connectionId: seeded.connection.id }, (a) => onConnection(a.n));
    await expectFilter({ roleKey: 'engineering' }, (a) => holdsRole(a.n));
    await expectFilter({ groupId: seeded.groupId }, (a) => inGroup(a.n));
    await expectFilter({ roleKey: 'engineering', groupId: seeded.groupId }, (a) => holdsRole(a.n) && inGroup(a.n));
    await expectFilter({ roleKey: 'engineering', connectionId: seeded.connection.id, source: ['jit'] }, (a) => holdsRole(a.n) && onConnection(a.n) && a.source === 'jit');
    await expectFilter({ roleKey: 'engineering', status: ['active'] }, (a) => holdsRole(a.n) && a.status === 'active');
  });

  it('sign-ins: a time range, never, at least once', async () => {
    const from = new Date(BASE.getTime() - 2 * day);
    await expectFilter({ lastSignIn: { from } }, (a) => a.lastLoginAt !== null && a.lastLoginAt >= from);
    await expectFilter({ lastSignIn: { to: from } }, (a) => a.lastLoginAt !== null && a.lastLoginAt < from);
    await expectFilter({ neverSignedIn: true }, (a) => a.lastLoginAt === null);
    await expectFilter({ neverSignedIn: true, status: ['active'] }, (a) => a.lastLoginAt === null && a.status === 'active');
    await expectFilter({ neverSignedIn: false, source: ['jit'] }, (a) => a.lastLoginAt !== null && a.source === 'jit');
  });

  it('search: any part of user name, email or display name from three characters, the start below; any case; LIKE characters literal', async () => {
    await expectFilter({ q: 'ANDERS' }, (a) => mentions(a, 'anders'));
    await expectFilter({ q: 'r-01' }, (a) => mentions(a, 'r-01'));
    await expectFilter({ q: ' alice anders ' }, (a) => mentions(a, 'alice anders'));
    await expectFilter({ q: 'e_d%' }, (a) => mentions(a, 'e_d%'));
    await expectFilter({ q: 'bo' }, (a) => starts(a, 'bo'));
    await expectFilter({ q: 'u' }, (a) => starts(a, 'u'));
    await expectFilter({ q: 'anders', status: ['active'], roleKey: 'engineering' }, (a) => mentions(a, 'anders') && a.status === 'active' && holdsRole(a.n));
    expect(await matching({ q: 'd%d' })).toEqual({ ids: [], total: 0 });
    expect(await matching({ q: 'example.com\u0001alice' })).toEqual({ ids: [], total: 0 });
    expect((await matching({ q: '\u0000' })).total).toBe(seeded.accounts.length);
  });

  it('matches nothing for what names nothing: another organization, an unknown role, ids that are not uuids', async () => {
    const none = { ids: [], total: 0 };
    expect(await matching({ roleKey: 'no-such-role' })).toEqual(none);
    expect(await matching({ groupId: 'not-a-uuid' })).toEqual(none);
    expect(await matching({ connectionId: seeded.other.connection.id })).toEqual(none);
    expect(await matching({ status: ['nonsense' as 'active'] })).toEqual(none);
    const everything = await matching({});
    expect(everything.ids.some((id) => seeded.other.accountIds.includes(id))).toBe(false);
    expect(everything.total).toBe(seeded.accounts.length);
    const theirs = await findConsoleAccounts(db, seeded.other.org.id, { sort, limit: 200, q: 'alice', roleKey: 'engineering' });
    expect(theirs.rows.every((r) => seeded.other.accountIds.includes(r.id))).toBe(true);
    expect(theirs.total).toBe(theirs.rows.length);
  });

  it('refuses a time range that is not a date', async () => {
    await expect(findConsoleAccounts(db, seeded.org.id, { sort, limit: 5, lastSignIn: { from: new Date('nope') } })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
