import { randomBytes } from 'node:crypto';
import { and, count, eq, lt } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { samlReplayCache, samlRequests } from '@/db/schema';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { purgeExpiredSamlState } from './purge-expired-state';
import { startSamlLogin } from './start-login';
import { makeSamlConnection, makeTestIdp, postToAcs, startLogin, TEST_APP_URL } from './testing/fixtures';

const db = testDb();
afterAll(closeTestDb);

const ago = (ms: number) => new Date(Date.now() - ms);
const id = () => `_${randomBytes(20).toString('hex')}`;

async function requestsOf(connectionId: string, expiredOnly = false) {
  const where = expiredOnly ? and(eq(samlRequests.connectionId, connectionId), lt(samlRequests.expiresAt, new Date())) : eq(samlRequests.connectionId, connectionId);
  const [row] = await db.select({ n: count() }).from(samlRequests).where(where);
  return row!.n;
}

async function replayEntriesOf(connectionId: string, expiredOnly: boolean) {
  const where = expiredOnly ? and(eq(samlReplayCache.connectionId, connectionId), lt(samlReplayCache.expiresAt, new Date())) : eq(samlReplayCache.connectionId, connectionId);
  const [row] = await db.select({ n: count() }).from(samlReplayCache).where(where);
  return row!.n;
}

/** Expired rows of one connection, as a day without any purge job leaves them. */
async function leaveExpired(connection: { id: string; organizationId: string }, n: number) {
  const base = { organizationId: connection.organizationId, connectionId: connection.id, relayState: '/me', browserBindingHash: 'x', expiresAt: ago(60_000) };
  await db.insert(samlRequests).values(Array.from({ length: n }, () => ({ ...base, id: id() })));
  await db.insert(samlReplayCache).values(Array.from({ length: n }, () => ({ connectionId: connection.id, assertionId: id(), expiresAt: ago(60_000) })));
}

describe('SAML state written by unauthenticated requests stays bounded', () => {
  it('keeps at most the cap of outstanding requests per connection under a flood of login starts, evicting the oldest', async () => {
    const idp = await makeTestIdp();
    const { connection } = await makeSamlConnection(db, idp);
    const other = await makeSamlConnection(db, idp);
    const bystander = await startSamlLogin(db, { connectionId: other.connection.id }, { appUrl: TEST_APP_URL });
    const start = () => startSamlLogin(db, { connectionId: connection.id }, { appUrl: TEST_APP_URL, maxOutstanding: 20 });

    const first = await start();
    for (let wave = 0; wave < 6; wave++) await Promise.all(Array.from({ length: 10 }, start));
    const last = await start();

    expect(await requestsOf(connection.id)).toBe(20);
    const kept = async (started: Awaited<ReturnType<typeof start>>) =>
      started.ok ? (await db.select().from(samlRequests).where(eq(samlRequests.id, started.requestId))).length : -1;
    expect(await kept(first)).toBe(0);
    expect(await kept(last)).toBe(1);
    expect(await kept(bystander)).toBe(1);
  });

  it('sheds expired requests on each login start, and expired replay entries on each accepted assertion, with no scheduler', async () => {
    const idp = await makeTestIdp();
    const { connection, sp, spMetadata } = await makeSamlConnection(db, idp);
    await leaveExpired(connection, 150);
    expect(await requestsOf(connection.id, true)).toBe(150);

    // Each start and each accepted assertion deletes up to a batch (100) of expired rows, whichever
    // connection they belong to: three sign-ins clear these even if other tests left some too.
    for (let i = 0; i < 3; i++) {
      const request = await startLogin(db, idp, connection.id, spMetadata);
      const { samlResponse } = await idp.createResponse(sp, { nameId: 'shed@example.com', inResponseTo: request.id });
      expect(await postToAcs(db, connection.id, samlResponse)).toMatchObject({ ok: true });
    }
    expect(await requestsOf(connection.id, true)).toBe(0);
    expect(await replayEntriesOf(connection.id, true)).toBe(0);
    // What is still live stays: the three assertions just accepted.
    expect(await replayEntriesOf(connection.id, false)).toBe(3);
  });

  it('purges everything expired in batches for the periodic job, and nothing live', async () => {
    const idp = await makeTestIdp();
    const { connection } = await makeSamlConnection(db, idp);
    await leaveExpired(connection, 250);
    const live = await startSamlLogin(db, { connectionId: connection.id }, { appUrl: TEST_APP_URL });
    const purged = await purgeExpiredSamlState(db, new Date(), 100);
    expect(purged.requests).toBeGreaterThanOrEqual(250 - 100); // the start above shed up to one batch itself
    expect(purged.assertions).toBeGreaterThanOrEqual(250);
    expect(await requestsOf(connection.id, true)).toBe(0);
    expect(await replayEntriesOf(connection.id, true)).toBe(0);
    expect(live.ok && (await db.select().from(samlRequests).where(eq(samlRequests.id, live.requestId))).length).toBe(1);
  });
});
