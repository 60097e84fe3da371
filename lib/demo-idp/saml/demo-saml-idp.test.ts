import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getAccountByIdentity } from '@/db/queries/accounts';
import { handleSamlAcs } from '@/lib/saml/handle-acs';
import { buildSamlConnectionConfig, parseIdpMetadata } from '@/lib/saml/idp-metadata';
import { getSpMetadata, spUrls } from '@/lib/saml/sp-metadata';
import { startSamlLogin } from '@/lib/saml/start-login';
import { ns, parseXmlStrict } from '@/lib/saml/xml';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { DEMO_PASSWORD, DemoDirectory, DEMO_USERS, startDemoSamlIdp, type DemoSamlIdp } from '@/lib/demo-idp';

const db = testDb();
const directory = new DemoDirectory(DEMO_USERS);
const context = { sessionMaxAgeSeconds: 3600, ip: '127.0.0.1', userAgent: 'vitest', requestId: 'demo-saml' };
let idp: DemoSamlIdp;
let sp: http.Server;
let appUrl: string;

/** Roster's side, as far as the IdP sees it: the SP metadata at each connection's entity ID. */
async function startSpMetadataServer() {
  const server = http.createServer((req, res) => {
    const id = /^\/api\/saml\/([\w-]+)\/metadata$/.exec(req.url ?? '')?.[1];
    void (id ? getSpMetadata(db, id, appUrl) : Promise.resolve(null)).then((xml) => {
      res.writeHead(xml ? 200 : 404, { 'content-type': 'application/samlmetadata+xml' }).end(xml ?? 'not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return server;
}

beforeAll(async () => {
  sp = await startSpMetadataServer();
  idp = await startDemoSamlIdp({ port: 0, trustedSpOrigins: [appUrl], directory });
});

afterAll(async () => {
  await idp?.stop();
  sp?.closeAllConnections();
  await new Promise((resolve) => sp?.close(resolve));
  await closeTestDb();
});

async function samlConnection() {
  const { samlMetadata, samlConfig } = buildSamlConnectionConfig({ metadataXml: idp.metadataXml });
  const { org, connection } = await makeOrganization(db, { name: 'Demo SAML', protocol: 'saml', issuer: null, clientId: null, samlMetadata, samlConfig, allowedDomains: ['acme.test'] });
  return { org, connection, urls: spUrls(appUrl, connection.id) };
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

const formFields = (html: string) => Object.fromEntries([...html.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));

describe('demo SAML IdP', () => {
  test('serves metadata Roster can create a connection from: entity ID, HTTP-Redirect SSO, a 2048-bit RSA certificate', async () => {
    const res = await fetch(`${idp.baseUrl}/saml/metadata`);
    expect(res.headers.get('content-type')).toContain('application/samlmetadata+xml');
    const metadata = parseIdpMetadata(await res.text());
    expect(metadata).toMatchObject({ idpEntityId: `${idp.baseUrl}/saml/metadata`, ssoUrl: `${idp.baseUrl}/saml/sso`, ssoBinding: 'redirect' });
    expect(metadata.certificates).toHaveLength(1);
  });

  test('an SP-initiated sign-in: login form, then a signed response Roster accepts, with Okta-style attributes', async () => {
    const { connection, urls } = await samlConnection();
    const started = await startSamlLogin(db, { connectionId: connection.id, returnTo: '/me' }, { appUrl });
    if (!started.ok || started.kind !== 'redirect') throw new Error('no redirect');
    expect(started.url.startsWith(`${idp.ssoUrl}?SAMLRequest=`)).toBe(true);

    const page = await fetch(started.url);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('<label for="username">Username</label>');
    expect(html).toContain('>Sign in</button>');
    const action = /action="(\/saml\/login\/[\w-]+)"/.exec(html)![1]!;

    const wrong = await fetch(`${idp.baseUrl}${action}`, form({ username: 'dave', password: 'nope' }));
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('role="alert"');

    const answer = await fetch(`${idp.baseUrl}${action}`, form({ username: 'dave', password: DEMO_PASSWORD }));
    const body = await answer.text();
    expect(body).toContain(`action="${urls.acsUrl}"`);
    const { SAMLResponse } = formFields(body);
    const doc = parseXmlStrict(Buffer.from(SAMLResponse!, 'base64').toString('utf8'));
    const response = doc.documentElement;
    expect(response.getAttribute('InResponseTo')).toBe(started.requestId);
    expect(response.getAttribute('Destination')).toBe(urls.acsUrl);
    expect(doc.getElementsByTagNameNS(ns.ds, 'Signature')).toHaveLength(2);
    expect(doc.getElementsByTagNameNS(ns.ds, 'SignatureMethod')[0]!.getAttribute('Algorithm')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    const nameId = doc.getElementsByTagNameNS(ns.saml, 'NameID')[0]!;
    const dave = directory.users.get('dave')!;
    expect(nameId.textContent).toBe(dave.sub);
    expect(nameId.getAttribute('Format')).toBe('urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');

    // From the browser that started the sign-in: its binding cookie comes along.
    const { browserBinding } = started;
    const result = await handleSamlAcs(db, { connectionId: connection.id, samlResponse: SAMLResponse, browserBinding }, { appUrl, context });
    expect(result).toMatchObject({ ok: true, returnTo: '/me' });
    const { account } = (await getAccountByIdentity(db, connection.id, dave.sub))!;
    expect(account).toMatchObject({ email: 'dave@acme.test', displayName: 'Dave Diaz', department: 'Finance', title: 'Analyst', employeeNumber: 'E1004' });

    // Each AuthnRequest is answered once.
    expect((await fetch(`${idp.baseUrl}${action}`, form({ username: 'dave', password: DEMO_PASSWORD }))).status).toBe(404);
  });

  test('the shared directory: a PATCH through /demo/users is in the next assertion', async () => {
    const patch = await fetch(`${idp.baseUrl}/demo/users/erin`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ department: 'Finance', groups: ['staff', 'auditors'] }),
    });
    expect(patch.status).toBe(200);
    expect(directory.users.get('erin')).toMatchObject({ department: 'Finance', groups: ['staff', 'auditors'] });

    const { connection } = await samlConnection();
    const started = await startSamlLogin(db, { connectionId: connection.id }, { appUrl });
    if (!started.ok || started.kind !== 'redirect') throw new Error('no redirect');
    const action = /action="(\/saml\/login\/[\w-]+)"/.exec(await (await fetch(started.url)).text())![1]!;
    const { SAMLResponse } = formFields(await (await fetch(`${idp.baseUrl}${action}`, form({ username: 'erin', password: DEMO_PASSWORD }))).text());
    const xml = Buffer.from(SAMLResponse!, 'base64').toString('utf8');
    expect(xml).toContain('<saml:Attribute Name="department"><saml:AttributeValue xsi:type="xs:string">Finance</saml:AttributeValue>');
    expect(xml).toMatch(/<saml:Attribute Name="groups">(<saml:AttributeValue[^>]*>[^<]*<\/saml:AttributeValue>){2}<\/saml:Attribute>/);
  });

  test('refuses AuthnRequests from service providers it was not told to trust, and requests without one', async () => {
    const request = `<samlp:AuthnRequest xmlns:samlp="${ns.samlp}" xmlns:saml="${ns.saml}" ID="_x" Version="2.0" IssueInstant="${new Date().toISOString()}"><saml:Issuer>http://evil.test/metadata</saml:Issuer></samlp:AuthnRequest>`;
    const query = new URLSearchParams({ SAMLRequest: deflateRawSync(request).toString('base64') });
    expect((await fetch(`${idp.ssoUrl}?${query}`)).status).toBe(403);
    expect((await fetch(idp.ssoUrl)).status).toBe(400);
    expect((await fetch(`${idp.ssoUrl}?SAMLRequest=bm90IGRlZmxhdGVk`)).status).toBe(400);
    expect((await fetch(`${idp.baseUrl}/saml/login/unknown`, form({ username: 'dave', password: DEMO_PASSWORD }))).status).toBe(404);
  });
});
