import { randomBytes } from 'node:crypto';
import { and, count, eq, lt } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/db';
import { samlRequests } from '@/db/schema';
import { MAX_OUTSTANDING_SAML_REQUESTS } from '@/lib/saml/purge-expired-state';
import { makeSamlConnection, makeTestIdp } from '@/lib/saml/testing/fixtures';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { GET as login } from './[connectionId]/login/route';

const db = testDb();
afterAll(async () => {
  await closeDb();
  await closeTestDb();
});

describe('GET /api/saml/<id>/login under a flood', () => {
  it('never lets one connection’s outstanding requests grow past the cap, and sheds expired ones', async () => {
    const idp = await makeTestIdp();
    const { connection, sp } = await makeSamlConnection(db, idp);
    const row = { organizationId: connection.organizationId, connectionId: connection.id, relayState: '/me', browserBindingHash: 'x' };
    const rows = (n: number, expiresAt: Date) => Array.from({ length: n }, () => ({ ...row, id: `_${randomBytes(20).toString('hex')}`, expiresAt }));
    // A flood already at the cap, as an attacker's earlier GETs leave it, and a few expired requests.
    await db.insert(samlRequests).values(rows(MAX_OUTSTANDING_SAML_REQUESTS, new Date(Date.now() + 600_000)));
    await db.insert(samlRequests).values(rows(50, new Date(Date.now() - 1000)));

    const starts = await Promise.all(Array.from({ length: 30 }, () => login(new NextRequest(sp.loginUrl), { params: Promise.resolve({ connectionId: connection.id }) })));
    expect(starts.map((r) => r.status)).toEqual(Array(30).fill(302));

    const [left] = await db.select({ n: count() }).from(samlRequests).where(eq(samlRequests.connectionId, connection.id));
    expect(left!.n).toBe(MAX_OUTSTANDING_SAML_REQUESTS);
    const [expired] = await db
      .select({ n: count() })
      .from(samlRequests)
      .where(and(eq(samlRequests.connectionId, connection.id), lt(samlRequests.expiresAt, new Date())));
    expect(expired!.n).toBe(0);
  });
});
