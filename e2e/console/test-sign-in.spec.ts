import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { expectConsolePage, reviewPage } from '../fixtures/console-page';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';
import { rosterCli } from '../fixtures/roster-cli';
import { createDatabase } from '../../db';
import { startDemoIdp, type DemoIdp } from '../../lib/demo-idp/start-demo-idp';
import { startDemoSamlIdp, type DemoSamlIdp } from '../../lib/demo-idp/saml/start-demo-saml-idp';
import { DEMO_PASSWORD, DEMO_USERS } from '../../lib/demo-idp/users';

/**
 * Test sign-in from a connection's page, through real IdPs of the spec's own (oidc-provider and the
 * samlify SAML IdP, lib/demo-idp): a person with no account signs in at the IdP in the new tab; the
 * result page shows the claims and "would create", and no account, identity or session appears.
 * The admin's own session is the one it was before.
 */
test.describe.configure({ mode: 'serial' });

const domain = 'trial.test';
const nora = { ...DEMO_USERS[0]!, sub: 'e2e-nora-0001', username: 'nora', name: 'Nora North', givenName: 'Nora', familyName: 'North', email: `nora@${domain}`, department: 'Research', title: 'Scientist', employeeNumber: 'T-7', groups: ['lab'] };
const client = { clientId: 'roster-e2e-test-sign-in', clientSecret: 'e2e-test-sign-in-secret' };

let tenant: ConsoleTenant;
let oidc: DemoIdp | undefined;
let saml: DemoSamlIdp | undefined;
let db: ReturnType<typeof createDatabase>;

test.beforeAll(async () => {
  tenant = await createConsoleTenant();
  db = createDatabase(process.env.E2E_DATABASE_URL!, { max: 2 });
});
test.afterAll(async () => {
  await oidc?.stop();
  await saml?.stop();
  await db?.sql.end({ timeout: 5 });
  await tenant.close();
});

/** What a sign-in would have written in the tenant: its accounts, identities and sessions. */
async function written() {
  const [row] = await db.sql<{ accounts: number; identities: number; sessions: number; nora: number }[]>`
    select (select count(*)::int from accounts where organization_id = ${tenant.organizationId}) as accounts,
           (select count(*)::int from external_identities where organization_id = ${tenant.organizationId}) as identities,
           (select count(*)::int from sessions where organization_id = ${tenant.organizationId}) as sessions,
           (select count(*)::int from accounts where organization_id = ${tenant.organizationId} and lower(email) = ${nora.email}) as nora`;
  return row!;
}

const sessionCookie = async (context: BrowserContext) => (await context.cookies()).find((c) => c.name.endsWith('next-auth.session-token'))?.value;

/** Clicks Test sign-in on the connection's page; the new tab is the test. */
async function startTest(page: Page, context: BrowserContext, connectionId: string, name: string) {
  await page.goto(`/admin/connections/${connectionId}`);
  await expectConsolePage(page, name, 'Connections');
  const link = page.getByRole('link', { name: 'Test sign-in' });
  await expect(link).toHaveAttribute('target', '_blank');
  await page.screenshot({ path: `.roster/test-results/connection-test-sign-in-${connectionId.slice(0, 8)}.png` });
  const [tab] = await Promise.all([context.waitForEvent('page'), link.click()]);
  return tab;
}

async function expectWouldCreate(tab: Page, claim: RegExp) {
  await tab.waitForURL(/\/admin\/connections\/[0-9a-f-]{36}\/test\/\d+$/);
  await expectConsolePage(tab, 'Test sign-in');
  await expect(tab.locator('[data-outcome="create"]')).toContainText(`Would create a new account ${nora.email}`);
  await expect(tab.getByRole('table', { name: 'Claims received' })).toContainText(claim);
  await expect(tab.getByRole('table', { name: 'Claims received' })).toContainText('Research');
  await expect(tab.getByRole('table', { name: 'Mapped fields' })).toContainText('Nora North');
  await expect(tab.getByRole('list', { name: 'Role changes' })).toContainText('+ member');
}

test('OIDC: an admin tests a sign-in of a person with no account; the result shows the claims and "would create", nothing is written', async ({ page, context }) => {
  await tenant.signIn(context, 'admin');
  oidc = await startDemoIdp({ port: 0, clients: [{ ...client, redirectUris: ['http://127.0.0.1/placeholder'] }], users: [nora] });
  const connection = (await rosterCli(
    ...['connection', 'create', '--org', tenant.slug, '--name', 'Trial OIDC', '--issuer', oidc.issuer, '--client-id', client.clientId, '--client-secret', client.clientSecret, '--domain', domain, '--default-role', 'member'],
  )) as { id: string };
  // The IdP learns the connection's callback URL (the same one a real sign-in uses).
  const port = oidc.port;
  await oidc.stop();
  oidc = await startDemoIdp({ port, clients: [{ ...client, redirectUris: [`${process.env.E2E_APP_URL}/api/auth/callback/${connection.id}`] }], users: [nora] });

  const before = await written();
  const adminCookie = await sessionCookie(context);
  const tab = await startTest(page, context, connection.id, 'Trial OIDC');
  await tab.waitForURL((url) => url.origin === oidc!.issuer);
  await tab.getByLabel('Username').fill('nora');
  await tab.getByLabel('Password').fill(DEMO_PASSWORD);
  await tab.getByRole('button', { name: 'Sign in' }).click();
  await expectWouldCreate(tab, /email_verified/);

  expect(await written()).toEqual(before);
  expect((await written()).nora).toBe(0);
  // No session was made, the admin's stays, and the test cookie is gone.
  expect(await sessionCookie(context)).toBe(adminCookie);
  expect((await context.cookies()).some((c) => c.name.includes('roster-test-sign-in'))).toBe(false);
  await page.goto('/admin/connections');
  await expectConsolePage(page, 'Connections', 'Connections');
  await reviewPage(tab, 'test-sign-in-oidc', () => expect(tab.getByRole('table', { name: 'Claims received' })).toBeVisible());

  // Only administrators see a test result or start a test: the auditor gets the 403 page.
  const auditor = await context.browser()!.newContext({ baseURL: process.env.E2E_APP_URL });
  await tenant.signIn(auditor, 'auditor');
  const other = await auditor.newPage();
  await other.goto(tab.url());
  await expect(other.getByRole('heading', { name: 'You don’t have access to this page' })).toBeVisible();
  await expect(other.getByText('Would create')).toHaveCount(0);
  expect((await other.goto(`/admin/connections/${connection.id}/test`))?.status()).toBe(403);
  await auditor.close();
});

test('SAML: the same through the samlify IdP, and a refusal (domain not allowed) shows as the person would see it', async ({ page, context }) => {
  await tenant.signIn(context, 'admin');
  const outsider = { ...nora, sub: 'e2e-olaf-0002', username: 'olaf', name: 'Olaf Out', email: 'olaf@elsewhere.test' };
  saml = await startDemoSamlIdp({ port: 0, trustedSpOrigins: [process.env.E2E_APP_URL!], users: [nora, outsider] });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'roster-e2e-'));
  let connection: { id: string };
  try {
    const metadata = path.join(dir, 'idp.xml');
    await writeFile(metadata, saml.metadataXml);
    connection = (await rosterCli('connection', 'create', '--org', tenant.slug, '--protocol', 'saml', '--name', 'Trial SAML', '--metadata', metadata, '--domain', domain, '--default-role', 'member')) as { id: string };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const before = await written();
  const adminCookie = await sessionCookie(context);
  const tab = await startTest(page, context, connection.id, 'Trial SAML');
  await tab.waitForURL((url) => url.origin === saml!.baseUrl && url.pathname === '/saml/sso');
  await tab.getByLabel('Username').fill('nora');
  await tab.getByLabel('Password').fill(DEMO_PASSWORD);
  await tab.getByRole('button', { name: 'Sign in' }).click();
  await expectWouldCreate(tab, /emailaddress|email/);
  expect(await written()).toEqual(before);
  expect(await sessionCookie(context)).toBe(adminCookie);
  await reviewPage(tab, 'test-sign-in-saml', () => expect(tab.getByRole('table', { name: 'Claims received' })).toBeVisible());

  // Test again, as someone whose domain the connection does not allow.
  await tab.getByRole('link', { name: 'Test again' }).click();
  await tab.waitForURL((url) => url.origin === saml!.baseUrl);
  await tab.getByLabel('Username').fill('olaf');
  await tab.getByLabel('Password').fill(DEMO_PASSWORD);
  await tab.getByRole('button', { name: 'Sign in' }).click();
  await tab.waitForURL(/\/test\/\d+$/);
  await expect(tab.locator('[data-outcome="refused"]')).toContainText('Your email domain is not allowed to sign in through this identity provider.');
  await expect(tab.getByRole('list', { name: 'Checks' }).locator('[data-ok="false"]')).toContainText('Email domain allowed');
  expect(await written()).toEqual(before);
  await reviewPage(tab, 'test-sign-in-refused', () => expect(tab.locator('[data-outcome="refused"]')).toBeVisible());
});
