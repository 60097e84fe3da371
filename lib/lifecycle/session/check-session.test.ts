import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { insertSession } from '@/db/queries/sessions';
import { provisionFromLogin } from '@/lib/jit/provision-user';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { SESSION_USE_EVERY_SECONDS, checkSession } from './check-session';

const db = testDb();
afterAll(closeTestDb);
const MINUTE = 60_000;

async function times(sessionId: string) {
  const [row] = await db.execute<{ used: string | null; active: string | null }>(sql`
    select s.last_used_at as used, a.last_activity_at as active from sessions s join accounts a on a.id = s.account_id where s.id = ${sessionId}::uuid`);
  return { used: row!.used && new Date(row!.used).getTime(), active: row!.active && new Date(row!.active).getTime() };
}

describe('session use is activity (throttled)', () => {
  it('writes the session’s last use and the account’s activity at most once per interval', async () => {
    const { org } = await makeOrganization(db);
    const account = await makeAccount(db, org.id);
    const session = await insertSession(db, { organizationId: org.id, accountId: account.id, connectionId: null, expiresAt: new Date(Date.now() + 3_600_000) });
    const t0 = new Date();
    expect(await checkSession(db, session.id, t0)).toMatchObject({ accountId: account.id });
    expect(await times(session.id)).toEqual({ used: t0.getTime(), active: t0.getTime() });

    const within = new Date(t0.getTime() + SESSION_USE_EVERY_SECONDS * 1000 - MINUTE);
    expect(await checkSession(db, session.id, within)).not.toBeNull();
    expect(await times(session.id)).toEqual({ used: t0.getTime(), active: t0.getTime() });

    const after = new Date(t0.getTime() + SESSION_USE_EVERY_SECONDS * 1000);
    await checkSession(db, session.id, after);
    expect(await times(session.id)).toEqual({ used: after.getTime(), active: after.getTime() });
  });

  it('racing requests write once; a revoked session is refused and writes nothing', async () => {
    const { org } = await makeOrganization(db);
    const account = await makeAccount(db, org.id);
    const session = await insertSession(db, { organizationId: org.id, accountId: account.id, connectionId: null, expiresAt: new Date(Date.now() + 3_600_000) });
    const t0 = new Date();
    await Promise.all(Array.from({ length: 8 }, (_, i) => checkSession(db, session.id, new Date(t0.getTime() + i))));
    const { used } = await times(session.id);
    expect(used).toBeGreaterThanOrEqual(t0.getTime());
    expect(used).toBeLessThan(t0.getTime() + 8);
    await db.execute(sql`update sessions set revoked_at = now(), last_used_at = null where id = ${session.id}::uuid`);
    expect(await checkSession(db, session.id, new Date(t0.getTime() + 3_600_000))).toBeNull();
    expect((await times(session.id)).used).toBeNull();
  });

  it('a sign-in is activity', async () => {
    const { org, connection } = await makeOrganization(db);
    const before = Date.now();
    const result = await provisionFromLogin(db, { connectionId: connection.id, subject: 'sub-activity', claims: { sub: 'sub-activity', email: 'active@example.com', email_verified: true } }, { sessionMaxAgeSeconds: 3600 });
    expect(result.ok).toBe(true);
    const [row] = await db.execute<{ at: string | null }>(sql`select last_activity_at as at from accounts where organization_id = ${org.id}::uuid`);
    expect(new Date(row!.at!).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });
});
