import { expect, test } from '../fixtures';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';
import { expectConsolePage, reviewPage } from '../fixtures/console-page';
import { generateSigningKey, type SigningKey } from '../../lib/saml/testing/keys';
import { startMetadataServer, type MetadataServer } from '../../lib/saml/testing/metadata-server';
import { TestIdp } from '../../lib/saml/testing/test-idp';

/**
 * An admin makes a SAML connection from a metadata URL in the browser (a real HTTP server on
 * 127.0.0.1 serving samlify-made IdP metadata), the IdP rolls its signing key over, and "Refresh
 * metadata" on the connection's page picks the new certificate up; a broken URL is reported and
 * changes nothing.
 */
let tenant: ConsoleTenant;
let server: MetadataServer;
let keys: SigningKey[];
const idp = (key: SigningKey) => new TestIdp('https://sts.metaco.test/idp', 'https://sts.metaco.test/sso', key);

test.beforeAll(async () => {
  tenant = await createConsoleTenant({ accounts: 3 });
  server = await startMetadataServer();
  keys = await Promise.all([generateSigningKey({ commonName: 'MetaCo signing 2026' }), generateSigningKey({ commonName: 'MetaCo signing 2027' })]);
});
test.afterAll(async () => {
  await server?.close();
  await tenant?.close();
});

test('an admin creates a SAML connection from a metadata URL and refreshes it after a key rollover', async ({ page, context }) => {
  test.slow();
  await tenant.signIn(context, 'admin');
  server.serve('/metaco/metadata', { body: idp(keys[0]!).metadataXml() });
  const url = server.url('/metaco/metadata');

  await page.goto('/admin/connections/new');
  await expectConsolePage(page, 'New connection');
  await page.getByLabel('SAML 2.0').check();
  await page.getByLabel('Name').fill('MetaCo');
  await page.getByLabel('Email domains').fill('metaco.test');
  await page.getByLabel('From').selectOption('url');
  await page.getByLabel('Metadata URL').fill(url);
  await page.getByRole('button', { name: 'Create connection' }).click();
  await page.waitForURL(/\/admin\/connections\/[0-9a-f-]{36}$/);
  await expectConsolePage(page, 'MetaCo', 'Connections');
  await expect(page.locator('[data-metadata-url]')).toContainText(url);
  await expect(page.locator('[data-last-refresh="never"]')).toContainText('never yet');
  const certificates = page.getByRole('list', { name: 'Signing certificates' });
  await expect(certificates).toContainText('MetaCo signing 2026');

  // The IdP rolls its key over: the refresh says what changed and the page shows the new certificate.
  server.serve('/metaco/metadata', { body: idp(keys[1]!).metadataXml() });
  await page.getByRole('button', { name: 'Refresh metadata' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The SAML metadata of MetaCo was refreshed: 1 certificate added' })).toBeVisible();
  await page.locator('[data-metadata-url]').locator('..').screenshot({ path: '.roster/screenshots/console/connection-saml-metadata-message.png' });
  await expect(certificates).toContainText('MetaCo signing 2027');
  await expect(certificates).not.toContainText('MetaCo signing 2026');
  await expect(page.locator('[data-last-refresh="updated"]')).toContainText('1 certificate added, 1 certificate removed.');
  await reviewPage(page, 'connection-saml-metadata', () => expect(page.locator('[data-last-refresh="updated"]')).toBeVisible());

  // The URL breaks: the form says why, nothing changes, and the last refresh says it failed.
  server.serve('/metaco/metadata', { status: 404, body: 'gone', contentType: 'text/plain' });
  await page.getByRole('button', { name: 'Refresh metadata' }).click();
  await expect(page.getByRole('alert').filter({ hasText: `${url} answered 404` })).toBeVisible();
  await expect(page.locator('[data-last-refresh="failed"]')).toBeVisible();
  await expect(certificates).toContainText('MetaCo signing 2027');
  await reviewPage(page, 'connection-saml-metadata-failed', () => expect(page.locator('[data-last-refresh="failed"]')).toBeVisible());
});

test('an admin changes a SAML connection’s SSO URL by hand on its page; the daily refresh stops', async ({ page, context }) => {
  test.slow();
  await tenant.signIn(context, 'admin');
  server.serve('/handco/metadata', { body: new TestIdp('https://sts.handco.test/idp', 'https://sts.handco.test/sso', keys[0]!).metadataXml() });
  await page.goto('/admin/connections/new');
  await page.getByLabel('SAML 2.0').check();
  await page.getByLabel('Name').fill('HandCo');
  await page.getByLabel('Email domains').fill('handco.test');
  await page.getByLabel('From').selectOption('url');
  await page.getByLabel('Metadata URL').fill(server.url('/handco/metadata'));
  await page.getByRole('button', { name: 'Create connection' }).click();
  await page.waitForURL(/\/admin\/connections\/[0-9a-f-]{36}$/);
  await expectConsolePage(page, 'HandCo', 'Connections');

  const source = page.getByLabel('Keep or replace');
  await expect(source).toHaveValue('keep');
  await source.selectOption('manual');
  await expect(page.getByText('Blank values are kept. Setting them by hand stops the daily metadata refresh')).toBeVisible();
  await page.getByLabel('SSO URL').fill('https://sts.handco.test/sso/v2');
  await page.getByLabel('Keep or replace').locator('xpath=ancestor::fieldset[1]').screenshot({ path: '.roster/screenshots/console/connection-saml-edit-by-hand.png' });
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('https://sts.handco.test/sso/v2')).toBeVisible();
  await expect(page.locator('[data-metadata-url]')).toContainText('none: set up from a file or by hand, so it is not refreshed');
  await expect(page.getByRole('button', { name: 'Refresh metadata' })).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Signing certificates' })).toContainText('MetaCo signing 2026');
  await reviewPage(page, 'connection-saml-edited', () => expect(page.getByText('https://sts.handco.test/sso/v2')).toBeVisible());
});
