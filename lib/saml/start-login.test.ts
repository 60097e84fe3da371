import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { insertConnection } from '@/db/queries/connections';
import { insertSamlRequest } from '@/db/queries/saml-requests';
import { connections, samlRequests } from '@/db/schema';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { purgeExpiredSamlState } from './purge-expired-state';
import { SAML_REQUEST_TTL_SECONDS, startSamlLogin } from './start-login';
import { makeSamlConnection, makeTestIdp, TEST_APP_URL } from './testing/fixtures';

const db = testDb();
afterAll(closeTestDb);
const options = { appUrl: TEST_APP_URL };

describe('startSamlLogin', () => {
  it('records the AuthnRequest with a sanitised return path and an expiry, then redirects to the IdP', async () => {
    const idp = await makeTestIdp();
    const { connection } = await makeSamlConnection(db, idp);
    const now = new Date();
    const started = await startSamlLogin(db, { connectionId: connection.id, returnTo: 'https://evil.test/' }, { ...options, now });
    if (!started.ok || started.kind !== 'redirect') throw new Error('expected a redirect');
    expect(new URL(started.url).origin + new URL(started.url).pathname).toBe(idp.ssoUrl);
    expect(new URL(started.url).searchParams.has('RelayState')).toBe(false);
    const [row] = await db.select().from(samlRequests).where(eq(samlRequests.id, started.requestId));
    expect(row).toMatchObject({ connectionId: connection.id, organizationId: connection.organizationId, relayState: '/me' });
    expect(row!.expiresAt.getTime()).toBe(now.getTime() + SAML_REQUEST_TTL_SECONDS * 1000);
  });

  it('answers with an auto-posting form when the IdP only takes HTTP-POST', async () => {
    const idp = await makeTestIdp();
    const { connection } = await makeSamlConnection(db, idp, { ssoBinding: 'post' });
    const started = await startSamlLogin(db, { connectionId: connection.id, returnTo: '/me' }, options);
    expect(started).toMatchObject({ ok: true, kind: 'form' });
    if (started.ok && started.kind === 'form') {
      expect(started.html).toContain(`action="${idp.ssoUrl}"`);
      expect(started.html).toContain('name="SAMLRequest"');
    }
  });

  it('refuses unknown, disabled, OIDC and half-configured connections', async () => {
    const idp = await makeTestIdp();
    const disabled = await makeSamlConnection(db, idp);
    const { org, connection: oidc } = await makeOrganization(db);
    const broken = await insertConnection(db, { organizationId: org.id, name: 'Broken', protocol: 'saml', samlConfig: { ssoUrl: 'x' } });
    await db.update(connections).set({ enabled: false }).where(eq(connections.id, disabled.connection.id));
    expect(await startSamlLogin(db, { connectionId: '00000000-0000-0000-0000-000000000000' }, options)).toEqual({ ok: false, reason: 'unknown_connection' });
    expect(await startSamlLogin(db, { connectionId: oidc.id }, options)).toEqual({ ok: false, reason: 'unknown_connection' });
    expect(await startSamlLogin(db, { connectionId: disabled.connection.id }, options)).toEqual({ ok: false, reason: 'connection_disabled' });
    expect(await startSamlLogin(db, { connectionId: broken.id }, options)).toEqual({ ok: false, reason: 'saml_not_configured' });
  });

  it('purges expired requests and replay entries only', async () => {
    const idp = await makeTestIdp();
    const { connection } = await makeSamlConnection(db, idp);
    const base = { organizationId: connection.organizationId, connectionId: connection.id, relayState: '/me', browserBindingHash: 'x' };
    await insertSamlRequest(db, { ...base, id: `_old${Date.now()}`, expiresAt: new Date(Date.now() - 1000) });
    await insertSamlRequest(db, { ...base, id: `_new${Date.now()}`, expiresAt: new Date(Date.now() + 60_000) });
    const purged = await purgeExpiredSamlState(db);
    expect(purged.requests).toBeGreaterThanOrEqual(1);
    const left = await db.select().from(samlRequests).where(eq(samlRequests.connectionId, connection.id));
    expect(left.map((r) => r.id.slice(0, 4))).toEqual(['_new']);
  });
});
