import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { getLinkConflict, upsertLinkConflict } from '@/db/queries/account-links';
import { getAccountByIdentity } from '@/db/queries/accounts';
import { auditEvents } from '@/db/schema';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { resolveLinkConflict } from './resolve-conflict';

const db = testDb();
afterAll(closeTestDb);

describe('resolving a link conflict', () => {
  it('"link to this account" links a sign-in identity at once; "keep apart" dismisses; both audited, each decided once', async () => {
    const { org, connection } = await makeOrganization(db);
    const [ann, bob] = [await makeAccount(db, org.id), await makeAccount(db, org.id)];
    const login = await upsertLinkConflict(db, { organizationId: org.id, source: 'login', matchKey: `login:${connection.id}:sub-1`, incoming: { subject: 'sub-1' }, candidateAccountIds: [ann.id, bob.id] });
    const push = await upsertLinkConflict(db, { organizationId: org.id, source: 'scim', matchKey: 'scim:username:x@example.com', incoming: { userName: 'x@example.com' }, candidateAccountIds: [ann.id, bob.id] });
    const resolve = (conflictId: string, decision: 'link' | 'keep_apart', accountId?: string) => asAdmin(db, (tx, ctx) => resolveLinkConflict(tx, { organizationId: org.id, conflictId, decision, accountId }, ctx));

    await expect(resolve(login.id, 'link', (await makeAccount(db, org.id)).id)).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await resolve(login.id, 'link', bob.id)).toMatchObject({ decision: 'link', accountId: bob.id, source: 'login' });
    expect((await getAccountByIdentity(db, connection.id, 'sub-1'))?.account.id).toBe(bob.id);
    expect(await getLinkConflict(db, org.id, login.id)).toMatchObject({ status: 'resolved', candidateAccountIds: [bob.id], resolvedBy: 'admin:test-admin' });
    await expect(resolve(login.id, 'keep_apart')).rejects.toMatchObject({ code: 'conflict' });

    expect(await resolve(push.id, 'keep_apart')).toMatchObject({ decision: 'keep_apart', accountId: null });
    expect(await getLinkConflict(db, org.id, push.id)).toMatchObject({ status: 'dismissed', candidateAccountIds: [ann.id, bob.id] });
    const events = await db.select().from(auditEvents).where(and(eq(auditEvents.organizationId, org.id), eq(auditEvents.action, 'conflict.resolved')));
    expect(events.map((e) => e.data?.decision).sort()).toEqual(['keep_apart', 'link']);
    const linked = await db.select().from(auditEvents).where(and(eq(auditEvents.organizationId, org.id), eq(auditEvents.action, 'identity.linked')));
    expect(linked).toEqual([expect.objectContaining({ targetId: bob.id, data: expect.objectContaining({ via: 'admin_link', subject: 'sub-1' }) })]);
    await expect(resolve('not-an-id', 'keep_apart')).rejects.toMatchObject({ code: 'not_found' });
  });
});
