import { NextRequest, type NextResponse } from 'next/server';
import { decode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/db';
import { findAuditEvents } from '@/db/queries/audit-events';
import { getLiveSession } from '@/db/queries/sessions';
import { resetEnvCache } from '@/lib/env';
import { MAX_ACS_BODY_BYTES } from '@/lib/saml/read-acs-form';
import { answerAuthnRequest } from '@/lib/saml/testing/answer-authn-request';
import { accountCount, makeSamlConnection, makeTestIdp, rejectionReasons } from '@/lib/saml/testing/fixtures';
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

/** A form post to the ACS, from a browser holding `cookie` (the Cookie header) or none. */
function postForm(connectionId: string, fields: Record<string, string>, cookie?: string) {
  return acs(
    new NextRequest(`http://localhost:3000/api/saml/${connectionId}/acs`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': '203.0.113.9, 10.0.0.1',
        ...(cookie && { cookie }),
      },
      body: new URLSearchParams(fields).toString(),
    }),
    params(connectionId),
  );
}

/** The Cookie header a browser sends back after a response that set the binding cookie. */
function bindingCookieOf(response: Response): string {
  const cookie = (response as NextResponse).cookies.get(BINDING);
  if (!cookie) throw new Error('no binding cookie was set');
  return `${BINDING}=${cookie.value}`;
}
const BINDING = 'roster-saml-binding';

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

    expect(start.cookies.get(BINDING)).toMatchObject({ httpOnly: true, sameSite: 'lax', secure: false, path: '/' });

    const { samlResponse } = await idp.createResponse(sp, { nameId: 'rita@example.com', inResponseTo: request.id });
    const done = await postForm(connection.id, { SAMLResponse: samlResponse }, bindingCookieOf(start));
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
    const browser = bindingCookieOf(await login(new NextRequest(sp.loginUrl), params(connection.id)));
    const { samlResponse } = await idp.createResponse(sp, { nameId: 'rita@example.com', sign: 'none' });
    const refused = await postForm(connection.id, { SAMLResponse: samlResponse }, browser);
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe('http://localhost:3000/login/error?reason=saml_signature_invalid');
    expect(refused.cookies.getAll()).toEqual([]);

    const huge = await postForm(connection.id, { SAMLResponse: 'A'.repeat(MAX_ACS_BODY_BYTES + 1) }, browser);
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
    const done = await postForm(connection.id, fields, bindingCookieOf(start));
    expect(done.headers.get('location')).toBe('http://localhost:3000/me');
    expect(done.cookies.get('next-auth.session-token')).toBeDefined();
  });
});

const formFields = (html: string) => Object.fromEntries([...html.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));

/** A started sign-in and its answer, signed by the test IdP. */
async function answeredSignIn(nameId: string) {
  const idp = await makeTestIdp();
  const { org, connection, sp, spMetadata } = await makeSamlConnection(db, idp);
  const start = await login(new NextRequest(sp.loginUrl), params(connection.id));
  const request = await idp.readAuthnRequest(start.headers.get('location')!, spMetadata);
  const { samlResponse } = await idp.createResponse(sp, { nameId, inResponseTo: request.id });
  return { org, connection, sp, start, samlResponse };
}

describe('SAML browser binding at the HTTP door', () => {
  it('bounces a post that came without the binding cookie once through Roster’s own page, which writes nothing', async () => {
    const { org, connection, start, samlResponse } = await answeredSignIn('hop@example.com');
    // Over http the cookie is SameSite=Lax: the IdP's cross-site POST arrives without it.
    const hop = await postForm(connection.id, { SAMLResponse: samlResponse, RelayState: '/ignored' });
    expect(hop.status).toBe(200);
    expect(hop.headers.get('content-security-policy')).toMatch(/script-src 'sha256-[^']+'; form-action 'self'; frame-ancestors 'none'/);
    const html = await hop.text();
    expect(html).toContain(`<form method="post" action="/api/saml/${connection.id}/acs">`);
    const fields = formFields(html);
    expect(fields).toEqual({ SAMLResponse: samlResponse, RosterBindingHop: '1', RelayState: '/ignored' });
    expect(hop.cookies.getAll()).toEqual([]);
    expect(await rejectionReasons(db, org.id)).toEqual([]);
    // Only for a connection that can answer: a post to any other is refused at once.
    const unknown = await postForm('00000000-0000-0000-0000-000000000000', { SAMLResponse: samlResponse });
    expect(unknown.headers.get('location')).toBe('http://localhost:3000/login/error?reason=unknown_connection');

    // The hop's own post is same-site, so the Lax cookie of the browser that started the sign-in comes along.
    const done = await postForm(connection.id, fields, bindingCookieOf(start));
    expect(done.headers.get('location')).toBe('http://localhost:3000/me');
    expect(done.cookies.get('next-auth.session-token')).toBeDefined();
  });

  it('refuses the answer in a browser without the cookie, or with another sign-in’s, and leaves it usable in its own', async () => {
    const { org, connection, sp, start, samlResponse } = await answeredSignIn('victim-test@example.com');
    const other = bindingCookieOf(await login(new NextRequest(sp.loginUrl), params(connection.id)));
    for (const cookie of [undefined, other]) {
      const refused = await postForm(connection.id, { SAMLResponse: samlResponse, RosterBindingHop: '1' }, cookie);
      expect(refused.headers.get('location')).toBe('http://localhost:3000/login/error?reason=saml_session_mismatch');
      expect(refused.cookies.getAll()).toEqual([]);
    }
    expect(await accountCount(db, org.id)).toBe(0);
    const events = await findAuditEvents(db, org.id, { actions: ['login.rejected'] });
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({ reason: 'saml_session_mismatch', detail: expect.stringContaining('belongs to another sign-in'), protocol: 'saml' }),
      expect.objectContaining({ reason: 'saml_session_mismatch', detail: expect.stringContaining('no browser-binding cookie'), protocol: 'saml' }),
    ]);
    const done = await postForm(connection.id, { SAMLResponse: samlResponse }, bindingCookieOf(start));
    expect(done.headers.get('location')).toBe('http://localhost:3000/me');
  });

  it('behind https sets the binding cookie __Host-, Secure and SameSite=None, so it survives the IdP’s cross-site POST', async () => {
    const idp = await makeTestIdp();
    const { connection } = await makeSamlConnection(db, idp);
    process.env.NEXTAUTH_URL = 'https://roster.example.test';
    resetEnvCache();
    try {
      const start = await login(new NextRequest(`https://roster.example.test/api/saml/${connection.id}/login`), params(connection.id));
      expect(start.cookies.get(BINDING)).toBeUndefined();
      expect(start.cookies.get('__Host-roster-saml-binding')).toMatchObject({ httpOnly: true, secure: true, sameSite: 'none', path: '/', maxAge: 900 });
    } finally {
      process.env.NEXTAUTH_URL = 'http://localhost:3000';
      resetEnvCache();
    }
  });
});
