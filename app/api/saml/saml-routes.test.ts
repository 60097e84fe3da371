import { NextRequest } from 'next/server';
import { decode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/db';
import { getLiveSession } from '@/db/queries/sessions';
import { resetEnvCache } from '@/lib/env';
import { MAX_ACS_BODY_BYTES } from '@/lib/saml/read-acs-form';
import { answerAuthnRequest } from '@/lib/saml/testing/answer-authn-request';
import { makeSamlConnection, makeTestIdp } from '@/lib/saml/testing/fixtures';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { POST as acs } from './[connectionId]/acs/route';
import { GET as login } from './[connectionId]/login/route';
import { GET as metadata } from './[connectionId]/metadata/route';

const secret = 'route-test-secret-route-test-secret-0123';
const db = testDb();
const params = (connectionId: string) => ({ params: Promise.resolve({ connectionId }) });

beforeAll(() => {
  process.env.NEXTAUTH_SECRET = secret;
  process.env.NEXTAUTH_URL = 'http://localhost:3000';
  resetEnvCache();
});
afterAll(async () => {
  await closeDb();
  await closeTestDb();
});

function postForm(connectionId: string, fields: Record<string, string>) {
  return acs(
    new NextRequest(`http://localhost:3000/api/saml/${connectionId}/acs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.9, 10.0.0.1' },
      body: new URLSearchParams(fields).toString(),
    }),
    params(connectionId),
  );
}

describe('SAML route handlers', () => {
  it('serves SP metadata, redirects to the IdP, and turns a valid response into the next-auth session cookie', async () => {
    const idp = await makeTestIdp();
    const { connection, sp } = await makeSamlConnection(db, idp);

    const meta = await metadata(new Request(sp.metadataUrl), params(connection.id));
    expect(meta.headers.get('content-type')).toContain('application/samlmetadata+xml');
    const spMetadata = await meta.text();
    expect(spMetadata).toContain(`entityID="${sp.entityId}"`);

    const start = await login(new NextRequest(`${sp.loginUrl}?returnTo=%2Fme%3Ftab%3Daccess`), params(connection.id));
    expect(start.status).toBe(302);
    const location = start.headers.get('location')!;
    expect(location.startsWith('https://idp.example.test/saml/sso?SAMLRequest=')).toBe(true);
    const request = await idp.readAuthnRequest(location, spMetadata);

    const { samlResponse } = await idp.createResponse(sp, { nameId: 'rita@example.com', inResponseTo: request.id });
    const done = await postForm(connection.id, { SAMLResponse: samlResponse });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('http://localhost:3000/me?tab=access');
    const cookie = done.cookies.get('next-auth.session-token');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/' });
    const token = await decode({ token: cookie!.value, secret });
    expect(await getLiveSession(db, String(token?.sid))).toMatchObject({ email: 'rita@example.com' });
  });

  it('sends refusals to the error page with only a reason code, and sets no cookie', async () => {
    const idp = await makeTestIdp();
    const { connection, sp } = await makeSamlConnection(db, idp);
    const { samlResponse } = await idp.createResponse(sp, { nameId: 'rita@example.com', sign: 'none' });
    const refused = await postForm(connection.id, { SAMLResponse: samlResponse });
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe('http://localhost:3000/login/error?reason=saml_signature_invalid');
    expect(refused.cookies.getAll()).toEqual([]);

    const huge = await postForm(connection.id, { SAMLResponse: 'A'.repeat(MAX_ACS_BODY_BYTES + 1) });
    expect(huge.headers.get('location')).toBe('http://localhost:3000/login/error?reason=saml_too_large');
    const unknown = await login(new NextRequest('http://localhost:3000/api/saml/nope/login'), params('nope'));
    expect(unknown.headers.get('location')).toBe('http://localhost:3000/login/error?reason=unknown_connection');
    expect((await metadata(new Request('http://localhost:3000/x'), params('nope'))).status).toBe(404);
  });

  it('completes a browser round trip through the test IdP’s answerAuthnRequest (what a demo or e2e IdP mounts)', async () => {
    const idp = await makeTestIdp();
    const { connection, sp, spMetadata } = await makeSamlConnection(db, idp);
    const start = await login(new NextRequest(sp.loginUrl), params(connection.id));
    const user = { nameId: 'sam@example.com', attributes: { firstName: 'Sam', lastName: 'Stone' } };
    const { acsUrl, html } = await answerAuthnRequest(idp, { redirectUrl: start.headers.get('location')!, spMetadataXml: spMetadata, user });
    expect(acsUrl).toBe(sp.acsUrl);
    const fields = Object.fromEntries([...html.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const done = await postForm(connection.id, fields);
    expect(done.headers.get('location')).toBe('http://localhost:3000/me');
    expect(done.cookies.get('next-auth.session-token')).toBeDefined();
  });
});
