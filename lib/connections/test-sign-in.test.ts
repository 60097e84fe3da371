import { count, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { revokeSession } from '@/db/queries/sessions';
import { accounts, externalIdentities, sessions } from '@/db/schema';
import { loadTestSignInResult } from '@/lib/console/test-sign-in-page';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { handleSamlAcs } from '@/lib/saml/handle-acs';
import { startSamlLogin } from '@/lib/saml/start-login';
import { entraAttributes, loginContext, makeSamlConnection, makeTestIdp, TEST_APP_URL, TEST_BROWSER } from '@/lib/saml/testing/fixtures';
import { startTestSignIn } from './start-test-sign-in';
import { finishTestSignIn } from './test-sign-in';
import { verifyTestSignIn, type TestSignIn } from './test-sign-in-cookie';

const db = testDb();
afterAll(closeTestDb);
const secret = 'a-secret-of-at-least-thirty-two-characters';

async function counts(organizationId: string) {
  const n = async (t: typeof accounts | typeof externalIdentities | typeof sessions) => (await db.select({ n: count() }).from(t).where(eq(t.organizationId, organizationId)))[0]!.n;
  return { accounts: await n(accounts), identities: await n(externalIdentities), sessions: await n(sessions) };
}

/** A SAML connection, its organization's admin, and a started test sign-in (the AuthnRequest the IdP sees, the test cookie's content). */
async function startedSamlTest() {
  const idp = await makeTestIdp();
  const made = await makeSamlConnection(db, idp);
  const admin = await makeAdminSession(db, made.org.id, made.connection.id);
  const gate = { ...admin.account, accountId: admin.account.id, organizationId: made.org.id, sessionId: admin.sessionId, actor: { type: 'admin' as const, id: admin.account.id } };
  const started = await startTestSignIn(db, { admin: gate as never, connectionId: made.connection.id, browserBinding: TEST_BROWSER }, { appUrl: TEST_APP_URL, secret });
  if (!started.ok || started.kind !== 'redirect') throw new Error('test did not start');
  const check = verifyTestSignIn(started.cookie, secret, { connectionId: made.connection.id });
  if (!check.ok) throw new Error(check.reason);
  const request = await idp.readAuthnRequest(started.url, made.spMetadata);
  const answer = await idp.createResponse(made.sp, { nameId: 'newbie@example.com', inResponseTo: request.id, attributes: entraAttributes({ 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': 'newbie@example.com', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name': 'newbie@example.com' }) });
  return { ...made, admin, test: check.test, samlResponse: answer.samlResponse };
}

const acs = (connectionId: string, samlResponse: string, test: TestSignIn | null) =>
  handleSamlAcs(db, { connectionId, samlResponse, browserBinding: TEST_BROWSER, test }, { appUrl: TEST_APP_URL, context: loginContext });

describe('test sign-in, SAML', () => {
  it('a verified answer to the test is previewed, kept as connection.test_sign_in, and signs nobody in', async () => {
    const t = await startedSamlTest();
    const before = await counts(t.org.id);
    const result = await acs(t.connection.id, t.samlResponse, t.test);
    expect(result).toMatchObject({ ok: 'test', location: expect.stringMatching(new RegExp(`^/admin/connections/${t.connection.id}/test/\\d+$`)) });
    expect(await counts(t.org.id)).toEqual(before);
    const [event] = await findAuditEvents(db, t.org.id, { actions: ['connection.test_sign_in'] });
    expect(event).toMatchObject({ actorType: 'admin', actorId: t.admin.account.id, targetId: t.connection.id, data: { outcome: 'create', reason: null } });
    const page = await loadTestSignInResult(db, t.org.id, t.connection.id, String(event!.id));
    expect(page?.preview?.decision).toEqual({ kind: 'create', userName: 'newbie@example.com' });
    expect(page?.preview?.claims).toMatchObject({ 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/department': 'Engineering' });
  });

  it('an answer to a test without its cookie is refused, never signed in', async () => {
    const t = await startedSamlTest();
    const before = await counts(t.org.id);
    const result = await acs(t.connection.id, t.samlResponse, null);
    expect(result).toMatchObject({ ok: false, reason: 'test_sign_in_invalid' });
    expect(await counts(t.org.id)).toEqual(before);
  });

  it('the cookie of another test (another nonce) does not take it: refused, shown on that test’s page, nobody signed in', async () => {
    const t = await startedSamlTest();
    const before = await counts(t.org.id);
    expect(await acs(t.connection.id, t.samlResponse, { ...t.test, nonce: 'another-nonce' })).toMatchObject({ ok: 'test' });
    const [event] = await findAuditEvents(db, t.org.id, { actions: ['connection.test_sign_in'] });
    expect(event?.data).toMatchObject({ outcome: 'refused', reason: 'test_sign_in_invalid', preview: null });
    expect(await counts(t.org.id)).toEqual(before);
  });

  it('a refused answer (replayed) shows on the test page too', async () => {
    const t = await startedSamlTest();
    await acs(t.connection.id, t.samlResponse, t.test);
    const again = await acs(t.connection.id, t.samlResponse, t.test);
    expect(again).toMatchObject({ ok: 'test' });
    const [event] = await findAuditEvents(db, t.org.id, { actions: ['connection.test_sign_in'] });
    expect(event?.data).toMatchObject({ outcome: 'refused', reason: 'saml_replay' });
  });
});

describe('a sign-in started with a test page as its return path', () => {
  it('whose nonce is a malformed escape is refused as a test (the ACS threw), nobody signed in', async () => {
    const idp = await makeTestIdp();
    const made = await makeSamlConnection(db, idp);
    const started = await startSamlLogin(db, { connectionId: made.connection.id, returnTo: `/admin/connections/${made.connection.id}/test?nonce=%ZZ`, browserBinding: TEST_BROWSER }, { appUrl: TEST_APP_URL });
    if (!started.ok || started.kind !== 'redirect') throw new Error('sign-in did not start');
    const request = await idp.readAuthnRequest(started.url, made.spMetadata);
    const answer = await idp.createResponse(made.sp, { nameId: 'crafted@example.com', inResponseTo: request.id, attributes: entraAttributes({ 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': 'crafted@example.com' }) });
    const before = await counts(made.org.id);
    expect(await acs(made.connection.id, answer.samlResponse, null)).toMatchObject({ ok: false, reason: 'test_sign_in_invalid' });
    expect(await counts(made.org.id)).toEqual(before);
    const [refused] = await findAuditEvents(db, made.org.id, { actions: ['login.rejected'] });
    expect(refused?.data).toMatchObject({ reason: 'test_sign_in_invalid' });
  });
});

describe('finishTestSignIn', () => {
  const identity = (connectionId: string) => ({ identity: { connectionId, subject: 'sub-x', claims: { sub: 'sub-x', email: 'x@example.com' } } });

  it('only while the admin session that started it is live', async () => {
    const { org, connection } = await makeOrganization(db);
    const admin = await makeAdminSession(db, org.id, connection.id);
    const test: TestSignIn = { connectionId: connection.id, organizationId: org.id, accountId: admin.account.id, sessionId: admin.sessionId, nonce: 'n', expiresAt: 0 };
    expect((await finishTestSignIn(db, test, identity(connection.id))).ok).toBe(true);
    await revokeSession(db, admin.sessionId, 'test');
    expect(await finishTestSignIn(db, test, identity(connection.id))).toMatchObject({ ok: false, reason: 'test_sign_in_invalid' });
  });

  it('not for a session that is no admin, nor for another organization’s connection; results are per organization', async () => {
    const mine = await makeOrganization(db);
    const theirs = await makeOrganization(db);
    const viewer = await makeAdminSession(db, mine.org.id, mine.connection.id, { admin: false });
    const asViewer: TestSignIn = { connectionId: mine.connection.id, organizationId: mine.org.id, accountId: viewer.account.id, sessionId: viewer.sessionId, nonce: 'n', expiresAt: 0 };
    expect((await finishTestSignIn(db, asViewer, identity(mine.connection.id))).ok).toBe(false);
    const admin = await makeAdminSession(db, mine.org.id, mine.connection.id);
    const cross: TestSignIn = { connectionId: theirs.connection.id, organizationId: mine.org.id, accountId: admin.account.id, sessionId: admin.sessionId, nonce: 'n', expiresAt: 0 };
    expect((await finishTestSignIn(db, cross, identity(theirs.connection.id))).ok).toBe(false);
    const own = await finishTestSignIn(db, { ...cross, connectionId: mine.connection.id }, identity(mine.connection.id));
    if (!own.ok) throw new Error(own.reason);
    expect(await loadTestSignInResult(db, mine.org.id, mine.connection.id, String(own.eventId))).not.toBeNull();
    expect(await loadTestSignInResult(db, theirs.org.id, mine.connection.id, String(own.eventId))).toBeNull();
    expect(await loadTestSignInResult(db, mine.org.id, theirs.connection.id, String(own.eventId))).toBeNull();
  });
});
