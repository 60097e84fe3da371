import { count, eq } from 'drizzle-orm';
import type { Database } from '@/db';
import { findAuditEvents } from '@/db/queries/audit-events';
import { accounts } from '@/db/schema';
import { makeOrganization } from '@/lib/testing/fixtures';
import type { SamlConfigInput } from '../config';
import { handleSamlAcs } from '../handle-acs';
import { newBrowserBinding } from '../browser-binding';
import { buildSamlConnectionConfig } from '../idp-metadata';
import { buildSpMetadata, spUrls } from '../sp-metadata';
import { startSamlLogin } from '../start-login';
import { generateSigningKey, type SigningKey } from './keys';
import { TestIdp } from './test-idp';

export const TEST_APP_URL = 'http://localhost:3000';
export const loginContext = { sessionMaxAgeSeconds: 3600, ip: '127.0.0.1', userAgent: 'vitest', requestId: 'test' };

let sharedKeys: Promise<[SigningKey, SigningKey]> | undefined;

/** Two RSA-2048 keys per test file: the IdP's own, and an impostor's. */
export function testKeys() {
  sharedKeys ??= Promise.all([generateSigningKey(), generateSigningKey({ commonName: 'Impostor' })]);
  return sharedKeys;
}

export async function makeTestIdp(key?: SigningKey) {
  const [own] = await testKeys();
  return new TestIdp('https://idp.example.test/saml', 'https://idp.example.test/saml/sso', key ?? own);
}

/** An organization with a SAML connection created from the test IdP's metadata (allowing example.com). */
export async function makeSamlConnection(db: Database, idp: TestIdp, settings: Partial<SamlConfigInput> = {}) {
  const { samlMetadata, samlConfig } = buildSamlConnectionConfig({ metadataXml: idp.metadataXml(), settings });
  const { org, connection } = await makeOrganization(db, { protocol: 'saml', issuer: null, clientId: null, samlMetadata, samlConfig });
  const sp = spUrls(TEST_APP_URL, connection.id);
  return { org, connection, sp, spMetadata: buildSpMetadata(sp, samlConfig) };
}

/** The browser-binding cookie value of "the" browser of a test file: startLogin and postToAcs use it unless told otherwise. */
export const TEST_BROWSER = newBrowserBinding();

/** Starts an SP-initiated sign-in as a browser would and returns the AuthnRequest ID the IdP saw. */
export async function startLogin(db: Database, idp: TestIdp, connectionId: string, spMetadata: string, returnTo = '/me', browserBinding = TEST_BROWSER) {
  const started = await startSamlLogin(db, { connectionId, returnTo, browserBinding }, { appUrl: TEST_APP_URL });
  if (!started.ok || started.kind !== 'redirect') throw new Error(`login did not start: ${JSON.stringify(started)}`);
  return idp.readAuthnRequest(started.url, spMetadata);
}

/** Posts a response to the ACS from a browser holding `browserBinding` (null: a browser without the cookie). */
export function postToAcs(db: Database, connectionId: string, samlResponse: unknown, relayState?: string, browserBinding: string | null = TEST_BROWSER) {
  return handleSamlAcs(db, { connectionId, samlResponse, relayState, browserBinding }, { appUrl: TEST_APP_URL, context: loginContext });
}

export async function accountCount(db: Database, organizationId: string) {
  const [row] = await db.select({ n: count() }).from(accounts).where(eq(accounts.organizationId, organizationId));
  return row!.n;
}

export async function rejectionReasons(db: Database, organizationId: string) {
  const events = await findAuditEvents(db, organizationId, { actions: ['login.rejected'] });
  return events.map((e) => (e.data as { reason?: string } | null)?.reason);
}

/** Attributes as Entra ID sends them. */
export function entraAttributes(overrides: Record<string, string | string[]> = {}) {
  const c = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';
  return {
    [`${c}emailaddress`]: 'alice@example.com',
    [`${c}givenname`]: 'Alice',
    [`${c}surname`]: 'Anders',
    [`${c}name`]: 'alice@example.com',
    [`${c}department`]: 'Engineering',
    [`${c}jobtitle`]: 'Engineer',
    'http://schemas.microsoft.com/identity/claims/displayname': 'Alice Anders',
    'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups': ['staff', 'engineering'],
    ...overrides,
  };
}
