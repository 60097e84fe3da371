import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { samlReplayCache, samlRequests } from '@/db/schema';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { hashBrowserBinding, newBrowserBinding } from './browser-binding';
import { startSamlLogin } from './start-login';
import { accountCount, makeSamlConnection, makeTestIdp, postToAcs, rejectionReasons, startLogin, TEST_APP_URL } from './testing/fixtures';

const db = testDb();
afterAll(closeTestDb);

describe('SAML login CSRF: an answer is accepted only in the browser that started its sign-in', () => {
  it('refuses the attacker’s own valid response in the victim’s browser, and changes nothing else', async () => {
    const idp = await makeTestIdp();
    const { org, connection, sp, spMetadata } = await makeSamlConnection(db, idp);
    const attacker = newBrowserBinding();
    const victim = newBrowserBinding();
    const request = await startLogin(db, idp, connection.id, spMetadata, '/me', attacker);
    const { samlResponse } = await idp.createResponse(sp, { nameId: 'mallory@example.com', inResponseTo: request.id });

    // Auto-posted from another site into a browser that never started a sign-in, or that started its own.
    await startLogin(db, idp, connection.id, spMetadata, '/me', victim);
    for (const browser of [null, victim]) {
      expect(await postToAcs(db, connection.id, samlResponse, undefined, browser)).toMatchObject({ ok: false, reason: 'saml_session_mismatch' });
    }
    expect(await accountCount(db, org.id)).toBe(0);
    expect(await rejectionReasons(db, org.id)).toEqual(['saml_session_mismatch', 'saml_session_mismatch']);
    expect(await db.select().from(samlReplayCache).where(eq(samlReplayCache.connectionId, connection.id))).toEqual([]);
    expect(await db.select({ id: samlRequests.id }).from(samlRequests).where(eq(samlRequests.id, request.id))).toHaveLength(1);

    // The control: the same response, in the attacker's own browser, signs the attacker in.
    expect(await postToAcs(db, connection.id, samlResponse, undefined, attacker)).toMatchObject({ ok: true });
  });

  it('keeps one binding per browser, so two sign-ins started in two tabs both complete', async () => {
    const idp = await makeTestIdp();
    const { connection, sp, spMetadata } = await makeSamlConnection(db, idp);
    const first = await startSamlLogin(db, { connectionId: connection.id }, { appUrl: TEST_APP_URL });
    if (!first.ok) throw new Error('not started');
    const second = await startSamlLogin(db, { connectionId: connection.id, browserBinding: first.browserBinding }, { appUrl: TEST_APP_URL });
    if (!second.ok || second.kind !== 'redirect' || first.kind !== 'redirect') throw new Error('not started');
    expect(second.browserBinding).toBe(first.browserBinding);

    for (const started of [second, first]) {
      const request = await idp.readAuthnRequest(started.url, spMetadata);
      const { samlResponse } = await idp.createResponse(sp, { nameId: 'tabs@example.com', inResponseTo: request.id });
      expect(await postToAcs(db, connection.id, samlResponse, undefined, started.browserBinding)).toMatchObject({ ok: true });
    }
  });

  it('stores only the hash of the binding, and replaces a cookie value it did not make', async () => {
    const idp = await makeTestIdp();
    const { connection } = await makeSamlConnection(db, idp);
    const started = await startSamlLogin(db, { connectionId: connection.id, browserBinding: 'chosen-by-an-attacker' }, { appUrl: TEST_APP_URL });
    if (!started.ok) throw new Error('not started');
    expect(started.browserBinding).not.toBe('chosen-by-an-attacker');
    expect(started.browserBinding).toMatch(/^[\w-]{43}$/);
    const [row] = await db.select().from(samlRequests).where(eq(samlRequests.id, started.requestId));
    expect(row!.browserBindingHash).toBe(hashBrowserBinding(started.browserBinding));
    expect(JSON.stringify(row)).not.toContain(started.browserBinding);
  });

  it('binds nothing for IdP-initiated sign-in, which is why it stays off unless the connection allows it', async () => {
    const idp = await makeTestIdp();
    const off = await makeSamlConnection(db, idp);
    const on = await makeSamlConnection(db, idp, { allowIdpInitiated: true });
    const unsolicited = async (sp: typeof on.sp) => (await idp.createResponse(sp, { nameId: 'portal@example.com' })).samlResponse;
    expect(await postToAcs(db, off.connection.id, await unsolicited(off.sp), undefined, null)).toMatchObject({ ok: false, reason: 'saml_unsolicited' });
    expect(await postToAcs(db, on.connection.id, await unsolicited(on.sp), undefined, null)).toMatchObject({ ok: true });
  });
});
