import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, externalIdentities, groups, scimTokens, type NewAuditEvent } from '@/db/schema';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { auditSearch, findConsoleAuditEvents, streamConsoleAuditEvents, type ConsoleAuditQuery } from './console-audit';

/**
 * The console's audit trail: newest first across pages (ties in time broken by id), back again,
 * every filter, the bounded free-text search going on past each scan, the names of actors and
 * targets, and another organization's events (and rows) never showing.
 */
const db = testDb();
const scanLimit = auditSearch.scanLimit;
const T = (minutes: number) => new Date(Date.UTC(2026, 2, 1, 12, minutes));
let org = { id: '' };
let other = { id: '' };
let ids: Record<'alice' | 'bob' | 'stranger' | 'connection' | 'token' | 'group', string>;
type Event = NewAuditEvent & { createdAt: Date; id: number };
let events: Event[] = [];

beforeAll(async () => {
  const made = await makeOrganization(db, { name: 'Okta' });
  const elsewhere = await makeOrganization(db);
  [org, other] = [made.org, elsewhere.org];
  const alice = await makeAccount(db, org.id, { userName: 'alice@example.com', profile: { displayName: 'Alice Anders' } });
  const bob = await makeAccount(db, org.id, { userName: 'bob@example.com' });
  const stranger = await makeAccount(db, other.id, { userName: 'alice@example.com', profile: { displayName: 'Not Alice' } });
  await db.insert(externalIdentities).values({ organizationId: org.id, connectionId: made.connection.id, subject: 'okta-alice', accountId: alice.id });
  const [token] = await db.insert(scimTokens).values({ organizationId: org.id, name: 'Entra ID', tokenHash: `h-${org.id}`, tokenPrefix: 'rst' }).returning({ id: scimTokens.id });
  const [group] = await db.insert(groups).values({ organizationId: org.id, displayName: 'Engineers' }).returning({ id: groups.id });
  ids = { alice: alice.id, bob: bob.id, stranger: stranger.id, connection: made.connection.id, token: token!.id, group: group!.id };
  const ev = (minute: number, e: Omit<NewAuditEvent, 'organizationId'>) => ({ organizationId: org.id, createdAt: T(minute), ...e });
  const written = [
    ev(1, { actorType: 'scim', actorId: ids.token, action: 'account.suspended', targetType: 'account', targetId: ids.alice, data: { reason: 'scim_active_false', sessionsRevoked: 0 } }),
    ev(2, { actorType: 'user', actorId: 'okta-alice', action: 'login.succeeded', targetType: 'account', targetId: ids.alice, data: { connectionId: ids.connection, protocol: 'oidc' } }),
    ev(2, { actorType: 'user', actorId: 'okta-alice', action: 'role.granted', targetType: 'account', targetId: ids.alice, data: { roleKey: 'engineering' } }),
    ev(2, { actorType: 'admin', actorId: ids.bob, action: 'role.revoked', targetType: 'account', targetId: ids.alice, data: { roleKey: 'Auditor', reason: 'Left the TEAM' } }),
    ev(3, { actorType: 'cli', actorId: 'ops', action: 'group.updated', targetType: 'group', targetId: ids.group, before: { displayName: 'Eng' }, after: { displayName: 'Engineers' } }),
    ev(4, { actorType: 'admin', actorId: ids.alice, action: 'group.deleted', targetType: 'group', targetId: '00000000-0000-4000-8000-000000000000', before: { displayName: 'Old Team' } }),
    ev(5, { actorType: 'user', actorId: 'unknown-subject', action: 'login.rejected', targetType: 'connection', targetId: ids.connection, data: { reason: 'domain_not_allowed', connectionId: ids.connection } }),
    ev(6, { actorType: 'system', actorId: 'purge-deprovisioned', action: 'account.purged', targetType: 'account', targetId: ids.bob }),
    ev(7, { actorType: 'cli', actorId: 'ops', action: 'scim_token.created', targetType: 'scim_token', targetId: ids.token, data: { name: 'Entra ID' } }),
    ev(8, { actorType: 'cli', actorId: null, action: 'organization.created', targetType: 'organization', targetId: org.id }),
    ...Array.from({ length: 12 }, (_, i) => ev(9, { actorType: 'scim', actorId: ids.token, action: 'account.updated', targetType: 'account', targetId: ids.bob, after: { department: `Dept ${i}` } })),
  ];
  const stored = await db.insert(auditEvents).values(written).returning({ id: auditEvents.id });
  events = written.map((e, i) => ({ ...e, id: stored[i]!.id }));
  // Another organization's events about this organization's ids (and its own account) never show, nor name anything here.
  await db.insert(auditEvents).values([
    { organizationId: other.id, createdAt: T(5), actorType: 'admin', actorId: ids.alice, action: 'account.suspended', targetType: 'account', targetId: ids.alice },
    { organizationId: other.id, createdAt: T(5), actorType: 'scim', actorId: ids.token, action: 'account.updated', targetType: 'account', targetId: ids.stranger, data: { note: 'left the team' } },
  ]);
});
afterEach(() => void (auditSearch.scanLimit = scanLimit));
afterAll(closeTestDb);

/** The ids of every page, following nextCursor (or prevCursor backwards from the oldest page). */
async function walk(query: Omit<ConsoleAuditQuery, 'limit'>, limit = 4, backwards = false) {
  const found: number[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 200; guard++) {
    const page: Awaited<ReturnType<typeof findConsoleAuditEvents>> = await findConsoleAuditEvents(db, org.id, { ...query, limit, cursor, direction: backwards ? 'prev' : 'next' });
    if (backwards) found.unshift(...page.rows.map((r) => r.id));
    else found.push(...page.rows.map((r) => r.id));
    cursor = backwards ? page.prevCursor : page.nextCursor;
    if (!cursor) break;
  }
  return found;
}

/** The events written above matching `keep` (not the ones makeAccount wrote, which are newer), newest first. */
function expected(keep: (e: Event) => boolean) {
  return events.filter(keep).sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || y.id - x.id).map((e) => e.id);
}

describe('console audit trail', () => {
  it('pages newest first, ties by id, forwards and back, and only this organization', async () => {
    const all = await walk({});
    const dated = await walk({ from: T(0), to: T(60) });
    expect(dated).toEqual(expected(() => true));
    expect(all.slice(2)).toEqual(dated); // after the two account.created events makeAccount wrote (now)
    expect(await walk({}, 5, true)).toEqual(all);
  });

  it('filters by actor, action, target and time', async () => {
    expect(await walk({ to: T(60), actor: { type: 'scim' } })).toEqual(expected((e) => e.actorType === 'scim'));
    expect(await walk({ to: T(60), actor: { type: 'cli', id: 'ops' } })).toEqual(expected((e) => e.actorId === 'ops'));
    expect(await walk({ to: T(60), actor: { id: ids.alice } })).toEqual(expected((e) => e.actorId === ids.alice));
    expect(await walk({ to: T(60), actions: ['role.granted', 'role.revoked'] })).toEqual(expected((e) => e.action.startsWith('role.')));
    expect(await walk({ to: T(60), target: { type: 'account', id: ids.alice } })).toEqual(expected((e) => e.targetId === ids.alice));
    expect(await walk({ to: T(60), target: { type: 'group' } })).toEqual(expected((e) => e.targetType === 'group'));
    expect(await walk({ from: T(2), to: T(5) })).toEqual(expected((e) => e.createdAt >= T(2) && e.createdAt < T(5)));
  });

  it('searches free text in action, ids and JSON, any case, going on past each bounded scan', async () => {
    const search = (q: string, keep: (e: Event) => boolean) => [q, keep] as const;
    for (const [q, keep] of [
      search('left the team', (e) => e.data?.reason === 'Left the TEAM'),
      search('DEPT 1', (e) => String(e.after?.department ?? '').startsWith('Dept 1')),
      search('okta-al', (e) => e.actorId === 'okta-alice'),
      search(ids.group.slice(0, 13), (e) => e.targetId === ids.group),
      search('purged', (e) => e.action === 'account.purged'),
      search('"eng"', (e) => e.before?.displayName === 'Eng'),
    ]) {
      for (const limit of [scanLimit, 3]) {
        auditSearch.scanLimit = limit;
        expect({ q, limit, ids: await walk({ q, to: T(60) }, 2) }).toEqual({ q, limit, ids: expected(keep) });
        const streamed: number[] = [];
        for await (const row of streamConsoleAuditEvents(db, org.id, { q, to: T(60) }, 2)) streamed.push(row.id);
        expect(streamed).toEqual(expected(keep));
      }
    }
    auditSearch.scanLimit = 3;
    const capped = await findConsoleAuditEvents(db, org.id, { q: 'nothing like this', limit: 10 });
    expect(capped).toMatchObject({ rows: [], scan: { limit: 3, capped: true } });
    expect(capped.nextCursor).not.toBeNull();
    expect(await walk({ q: '%' })).toEqual([]);
  });

  it('names actors and targets from this organization only', async () => {
    const rows = (await findConsoleAuditEvents(db, org.id, { limit: 200, from: T(0) })).rows;
    const named = (action: string) => rows.filter((r) => r.action === action).map((r) => [r.actorName, r.targetName]);
    expect(named('account.suspended')).toEqual([['Entra ID', 'Alice Anders']]);
    expect(named('login.succeeded')).toEqual([['Alice Anders', 'Alice Anders']]);
    expect(named('role.granted')).toEqual([['Alice Anders', 'Alice Anders']]); // by the target's identity
    expect(named('role.revoked')).toEqual([['bob@example.com', 'Alice Anders']]);
    expect(named('group.updated')).toEqual([['ops', 'Engineers']]);
    expect(named('group.deleted')).toEqual([['Alice Anders', 'Old Team']]);
    expect(named('login.rejected')).toEqual([[null, 'Okta']]);
    expect(named('account.purged')).toEqual([['purge-deprovisioned', 'bob@example.com']]);
    expect(named('scim_token.created')).toEqual([['ops', 'Entra ID']]);
    expect(named('organization.created')).toEqual([[null, expect.stringMatching(/^Org /)]]);
    const theirs = (await findConsoleAuditEvents(db, other.id, { limit: 200, from: T(0), to: T(60) })).rows;
    expect(theirs.map((r) => [r.action, r.actorName, r.targetName])).toEqual([
      ['account.updated', null, 'Not Alice'],
      ['account.suspended', null, null],
    ]);
  });
});
