import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { getLiveSession } from '@/db/queries/sessions';
import { accounts, externalIdentities, samlReplayCache, samlRequests } from '@/db/schema';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import type { AcsResult } from './handle-acs';
import {
  accountCount,
  entraAttributes,
  makeSamlConnection,
  makeTestIdp,
  postToAcs,
  rejectionReasons,
  startLogin,
  testKeys,
} from './testing/fixtures';

const db = testDb();
afterAll(closeTestDb);

function ok(result: AcsResult) {
  if (result.ok === 'test') throw new Error(`a test sign-in: ${result.location}`);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result;
}

describe('SAML ACS: valid sign-ins', () => {
  it('creates the account on the first SP-initiated login, updates it on the second, and lands on RelayState', async () => {
    const idp = await makeTestIdp();
    const { org, connection, sp, spMetadata } = await makeSamlConnection(db, idp);

    const request = await startLogin(db, idp, connection.id, spMetadata, '/me?tab=access');
    expect(request.issuer).toBe(sp.entityId);
    const first = await idp.createResponse(sp, { nameId: 'alice@example.com', inResponseTo: request.id, attributes: entraAttributes() });
    const created = ok(await postToAcs(db, connection.id, first.samlResponse));

    expect(created.returnTo).toBe('/me?tab=access');
    expect(created.login.created).toBe(true);
    const [account] = await db.select().from(accounts).where(eq(accounts.id, created.login.accountId));
    expect(account).toMatchObject({
      organizationId: org.id,
      source: 'jit',
      userName: 'alice@example.com',
      email: 'alice@example.com',
      displayName: 'Alice Anders',
      givenName: 'Alice',
      familyName: 'Anders',
      department: 'Engineering',
      title: 'Engineer',
    });
    const [identity] = await db.select().from(externalIdentities).where(eq(externalIdentities.accountId, account!.id));
    expect(identity).toMatchObject({ connectionId: connection.id, subject: 'alice@example.com' });
    expect(await getLiveSession(db, created.login.sessionId)).toMatchObject({ accountId: account!.id });
    expect(await db.select().from(samlRequests).where(eq(samlRequests.id, request.id))).toEqual([]);

    const again = await startLogin(db, idp, connection.id, spMetadata);
    const second = await idp.createResponse(sp, {
      nameId: 'Alice@Example.com',
      inResponseTo: again.id,
      attributes: entraAttributes({ 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/department': 'Sales' }),
    });
    const updated = ok(await postToAcs(db, connection.id, second.samlResponse));
    expect(updated.login).toMatchObject({ created: false, accountId: account!.id, changed: ['department'] });
    expect(updated.returnTo).toBe('/me');
    expect(await accountCount(db, org.id)).toBe(1);
    const actions = (await findAuditEvents(db, org.id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'login.succeeded')).toHaveLength(2);
    expect(actions).toContain('account.updated');
  });

  it('maps Okta friendly names and LDAP OIDs, keeps multi-valued groups, and uses a persistent NameID as the subject', async () => {
    const idp = await makeTestIdp();
    const { connection, sp, spMetadata } = await makeSamlConnection(db, idp);
    const request = await startLogin(db, idp, connection.id, spMetadata);
    const response = await idp.createResponse(sp, {
      nameId: '00u1abcd',
      nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      inResponseTo: request.id,
      attributes: {
        'urn:oid:0.9.2342.19200300.100.1.3': 'Bob@Example.com',
        'urn:oid:2.5.4.42': 'Bob',
        'urn:oid:2.5.4.4': 'Brown',
        'urn:oid:2.5.4.11': 'Finance',
        title: 'Controller',
        groups: ['finance', 'staff', 'finance'],
      },
    });
    const result = ok(await postToAcs(db, connection.id, response.samlResponse));
    const [account] = await db.select().from(accounts).where(eq(accounts.id, result.login.accountId));
    expect(account).toMatchObject({ email: 'bob@example.com', displayName: 'Bob Brown', department: 'Finance', title: 'Controller' });
    const [identity] = await db.select().from(externalIdentities).where(eq(externalIdentities.accountId, account!.id));
    expect(identity!.subject).toBe('00u1abcd');
  });

  it('uses an emailAddress NameID as the email when no attribute carries one', async () => {
    const idp = await makeTestIdp();
    const { connection, sp, spMetadata } = await makeSamlConnection(db, idp);
    const request = await startLogin(db, idp, connection.id, spMetadata);
    const response = await idp.createResponse(sp, { nameId: 'carol@example.com', inResponseTo: request.id, attributes: { firstName: 'Carol' } });
    const result = ok(await postToAcs(db, connection.id, response.samlResponse));
    const [account] = await db.select().from(accounts).where(eq(accounts.id, result.login.accountId));
    expect(account).toMatchObject({ email: 'carol@example.com', givenName: 'Carol' });
  });

  it.each([
    ['a signed response (assertion unsigned)', { wantAssertionsSigned: false, wantResponseSigned: true }, 'response'],
    ['a signed response and assertion', { wantResponseSigned: true }, 'both'],
    ['SHA-1 when the connection explicitly allows it', { allowSha1: true }, 'assertion'],
  ] as const)('accepts %s', async (_name, settings, sign) => {
    const idp = await makeTestIdp();
    const { connection, sp, spMetadata } = await makeSamlConnection(db, idp, settings);
    const request = await startLogin(db, idp, connection.id, spMetadata);
    const algorithm = 'allowSha1' in settings ? 'sha1' : 'sha256';
    const response = await idp.createResponse(sp, { nameId: 'dave@example.com', inResponseTo: request.id, sign, signatureAlgorithm: algorithm });
    ok(await postToAcs(db, connection.id, response.samlResponse));
  });

  it('accepts a response signed with either certificate during a key rollover', async () => {
    const [own, next] = await testKeys();
    const idp = await makeTestIdp(next);
    const { connection, sp, spMetadata } = await makeSamlConnection(db, idp, { certificates: [own.certificate, next.certificate] });
    const request = await startLogin(db, idp, connection.id, spMetadata);
    const response = await idp.createResponse(sp, { nameId: 'erin@example.com', inResponseTo: request.id });
    ok(await postToAcs(db, connection.id, response.samlResponse));
  });

  it('accepts an assertion that expired less than the clock skew ago', async () => {
    const idp = await makeTestIdp();
    const { connection, sp, spMetadata } = await makeSamlConnection(db, idp, { clockSkewSeconds: 120 });
    const request = await startLogin(db, idp, connection.id, spMetadata);
    const issued = new Date(Date.now() - 5 * 60_000);
    const response = await idp.createResponse(sp, {
      nameId: 'frank@example.com',
      inResponseTo: request.id,
      issueInstant: issued,
      notOnOrAfter: new Date(Date.now() - 60_000),
    });
    ok(await postToAcs(db, connection.id, response.samlResponse));
  });

  it('accepts IdP-initiated sign-in only where allowed, following a safe RelayState', async () => {
    const idp = await makeTestIdp();
    const off = await makeSamlConnection(db, idp);
    const refused = await postToAcs(db, off.connection.id, (await idp.createResponse(off.sp, { nameId: 'gina@example.com' })).samlResponse);
    expect(refused).toMatchObject({ ok: false, reason: 'saml_unsolicited' });
    expect(await accountCount(db, off.org.id)).toBe(0);
    expect(await rejectionReasons(db, off.org.id)).toEqual(['saml_unsolicited']);

    const on = await makeSamlConnection(db, idp, { allowIdpInitiated: true });
    const safe = await postToAcs(db, on.connection.id, (await idp.createResponse(on.sp, { nameId: 'gina@example.com' })).samlResponse, '/admin');
    expect(ok(safe).returnTo).toBe('/admin');
    const evil = await postToAcs(db, on.connection.id, (await idp.createResponse(on.sp, { nameId: 'gina@example.com' })).samlResponse, '/\t/evil.test');
    expect(ok(evil).returnTo).toBe('/me');
  });

  it('lets exactly one of many simultaneous posts of one response through', async () => {
    const idp = await makeTestIdp();
    const { org, connection, sp, spMetadata } = await makeSamlConnection(db, idp);
    const request = await startLogin(db, idp, connection.id, spMetadata);
    const response = await idp.createResponse(sp, { nameId: 'hank@example.com', inResponseTo: request.id });
    const results = await Promise.all(Array.from({ length: 8 }, () => postToAcs(db, connection.id, response.samlResponse)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(Array(7).fill('saml_replay'));
    expect(await accountCount(db, org.id)).toBe(1);
    const cached = await db.select().from(samlReplayCache).where(eq(samlReplayCache.connectionId, connection.id));
    expect(cached).toHaveLength(1);
    expect(cached[0]!.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });
});

describe('SAML ACS: where refusals are recorded', () => {
  it('in the organization of the connection in the URL, whatever its protocol; with no such connection, in the deployment’s trail', async () => {
    const { org, connection: oidc } = await makeOrganization(db);
    expect(await postToAcs(db, oidc.id, 'x')).toMatchObject({ ok: false, reason: 'unknown_connection' });
    expect(await rejectionReasons(db, org.id)).toEqual(['unknown_connection']);

    const missing = randomUUID();
    expect(await postToAcs(db, missing, 'x')).toMatchObject({ ok: false, reason: 'unknown_connection' });
    const trail = await findAuditEvents(db, null, { actions: ['login.rejected'], targetId: missing });
    expect(trail.map((e) => [e.targetType, e.data])).toEqual([
      ['connection', { reason: 'unknown_connection', detail: null, connectionId: missing, protocol: 'saml', subject: null }],
    ]);
  });
});
