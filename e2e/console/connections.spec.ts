import { expect, test } from '../fixtures';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';
import { expectConsolePage, reviewPage } from '../fixtures/console-page';
import { startDemoIdp, type DemoIdp } from '../../lib/demo-idp/start-demo-idp';
import { DEMO_PASSWORD, DEMO_USERS } from '../../lib/demo-idp/users';

/**
 * An admin connects a real OIDC IdP (oidc-provider, lib/demo-idp) in the browser and a person signs
 * in through it. The IdP answers discovery at save time; its client's redirect URI names the new
 * connection, so it is started again on the same port with that URI once the connection exists.
 */
let tenant: ConsoleTenant;
let idp: DemoIdp | undefined;
const erin = { ...DEMO_USERS[0]!, sub: 'e2e-erin-0001', username: 'erin', name: 'Erin Example', givenName: 'Erin', familyName: 'Example', email: 'erin@newco.test', groups: [] };
const client = { clientId: 'roster-e2e-connections', clientSecret: 'e2e-connections-secret' };

test.beforeAll(async () => {
  tenant = await createConsoleTenant({ accounts: 5 });
});
test.afterAll(async () => {
  await idp?.stop();
  await tenant.close();
});

test('an admin creates an OIDC connection in the browser (discovery checked) and a person signs in through it', async ({ page, context, browser }) => {
  await tenant.signIn(context, 'admin');
  idp = await startDemoIdp({ port: 0, clients: [{ ...client, redirectUris: ['http://127.0.0.1/placeholder'] }], users: [erin] });
  const port = idp.port;

  await page.goto('/admin/connections');
  await expectConsolePage(page, 'Connections', 'Connections');
  await page.getByRole('link', { name: 'New connection' }).click();
  await expectConsolePage(page, 'New connection');
  await page.getByLabel('Name').fill('NewCo IdP');
  await page.getByLabel('Email domains').fill('newco.test');
  // An issuer that does not answer discovery is refused with a form error.
  await page.getByLabel('Issuer').fill(`${idp.issuer}/nothing-here`);
  await page.getByLabel('Client ID').fill(client.clientId);
  await page.getByLabel('Client secret').fill(client.clientSecret);
  await page.getByRole('button', { name: 'Create connection' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'did not answer its discovery document' })).toBeVisible();
  await page.getByLabel('Issuer').fill(idp.issuer);
  await page.getByLabel('Client secret').fill(client.clientSecret);
  await page.getByRole('button', { name: 'Create connection' }).click();
  await page.waitForURL(/\/admin\/connections\/[0-9a-f-]{36}$/);
  const connectionId = page.url().split('/').pop()!;
  await expectConsolePage(page, 'NewCo IdP', 'Connections');
  const callback = page.locator('[data-idp-value="Callback URL"] code');
  await expect(callback).toHaveText(`${process.env.E2E_APP_URL}/api/auth/callback/${connectionId}`);
  await expect(page.getByLabel('Client secret')).toHaveValue('');
  await reviewPage(page, 'connection-detail', () => expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible());

  // The IdP now knows the callback; Erin signs in through the new connection and gets an account (JIT).
  await idp.stop();
  idp = await startDemoIdp({ port, clients: [{ ...client, redirectUris: [`${process.env.E2E_APP_URL}/api/auth/callback/${connectionId}`] }], users: [erin] });
  const person = await browser.newContext({ baseURL: process.env.E2E_APP_URL });
  const tab = await person.newPage();
  await tab.goto(`/sso/${connectionId}`);
  await tab.waitForURL((url) => url.origin === idp!.issuer);
  await tab.getByLabel('Username').fill('erin');
  await tab.getByLabel('Password').fill(DEMO_PASSWORD);
  await tab.getByRole('button', { name: 'Sign in' }).click();
  await tab.waitForURL('**/me');
  await expect(tab.getByText('Erin Example').first()).toBeVisible();
  await person.close();

  await page.goto('/admin/connections');
  const row = page.locator('[data-connection="NewCo IdP"]');
  await expect(row).toContainText('newco.test');
  await expect(row).toContainText('1');
  await expect(row).toContainText('enabled');
  await reviewPage(page, 'connections', () => expect(page.getByRole('table', { name: 'Connections' })).toBeVisible());
  await page.goto('/admin/connections/new');
  await reviewPage(page, 'connection-new', () => expect(page.getByRole('button', { name: 'Create connection' })).toBeVisible());

  // Disable: the dialog says what happens to its accounts; sign-ins are then refused.
  await page.goto(`/admin/connections/${connectionId}`);
  await page.getByRole('button', { name: 'Disable' }).click();
  const dialog = page.getByRole('dialog', { name: 'Disable NewCo IdP?' });
  await expect(dialog).toContainText('Nothing is deleted');
  await dialog.getByRole('button', { name: 'Disable' }).click();
  await expect(page.getByText(/NewCo IdP is disabled/)).toBeVisible();
  await page.goto(`/sso/${connectionId}`);
  await expect(page.getByText('Sign-in through this identity provider is turned off.', { exact: false })).toBeVisible();
});
