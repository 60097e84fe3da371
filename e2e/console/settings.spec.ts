import { expect, test } from '../fixtures';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';
import { expectConsolePage, reviewPage } from '../fixtures/console-page';
import { createDatabase } from '../../db';
import { insertConnection } from '../../db/queries/connections';
import { buildSamlConnectionConfig } from '../../lib/saml/idp-metadata';
import { generateSigningKey } from '../../lib/saml/testing/keys';

/**
 * The settings page: the organization settings form (saved, refused beside its field, audited),
 * the IdP-initiated switch of a SAML connection behind its confirmation, and what an auditor sees.
 */
let tenant: ConsoleTenant;
let samlName: string;
test.beforeAll(async () => {
  tenant = await createConsoleTenant();
  const handle = createDatabase(process.env.E2E_DATABASE_URL!, { max: 1 });
  const key = await generateSigningKey({ commonName: 'idp.settings.test' });
  const { samlMetadata, samlConfig } = buildSamlConnectionConfig({ settings: { idpEntityId: 'https://idp.settings.test', ssoUrl: 'https://idp.settings.test/sso', certificates: [key.certificate] } });
  samlName = 'Portal SAML';
  await insertConnection(handle.db, { organizationId: tenant.organizationId, name: samlName, protocol: 'saml', samlMetadata, samlConfig, allowedDomains: ['console.test'] });
  await handle.sql.end({ timeout: 5 });
});
test.afterAll(() => tenant.close());
test.describe.configure({ mode: 'serial' });

test('an admin changes purge days and the session lifetime, sees them saved and audited', async ({ page, context }) => {
  await tenant.signIn(context, 'admin');
  await page.goto('/admin/settings');
  await expectConsolePage(page, 'Settings', 'Settings');
  const form = page.getByRole('form', { name: 'Organization settings' });
  const purge = form.getByLabel('Purge deprovisioned accounts after (days)');
  const lifetime = form.getByLabel('Session lifetime (minutes)');
  await expect(purge).toHaveAccessibleDescription(/cannot be undone/);
  await expect(lifetime).toHaveAccessibleDescription(/ended at its next request/);

  // Refused beside its field, nothing saved.
  await purge.fill('0');
  await lifetime.fill('2');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(purge).toHaveAttribute('aria-invalid', 'true');
  await expect(purge).toHaveAccessibleDescription(/Purge after must be at least 1 day\./);
  await expect(lifetime).toHaveAccessibleDescription(/Session lifetime must be a whole number of minutes from 5 to/);
  await page.screenshot({ path: '.roster/screenshots/console/settings-errors-1280-light.png', fullPage: true });

  await purge.fill('90');
  await lifetime.fill('10');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved: 2 changed.')).toBeVisible();
  await page.reload();
  await expect(purge).toHaveValue('90');
  await expect(lifetime).toHaveValue('10');

  await page.goto('/admin/audit');
  await expect(page.getByRole('table', { name: 'Audit events' })).toContainText('The organization settings were changed by');
  await expect(page.getByRole('table', { name: 'Audit events' })).toContainText('purge after, session lifetime');
});

test('IdP-initiated SAML: turning it on asks for confirmation; cancel changes nothing', async ({ page, context }) => {
  test.slow(); // reviewPage: four reloads, each checked by axe
  await tenant.signIn(context, 'admin');
  await page.goto('/admin/settings');
  await expect(page.getByTestId('idp-initiated-risk')).toContainText('login CSRF');
  const toggle = page.getByRole('switch', { name: `IdP-initiated sign-in for ${samlName}` });
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await reviewPage(page, 'settings', () => expect(page.getByRole('switch', { name: `IdP-initiated sign-in for ${samlName}` })).toBeVisible());

  await toggle.click();
  const dialog = page.getByRole('alertdialog', { name: `Allow IdP-initiated sign-in for ${samlName}?` });
  await expect(dialog).toContainText('stolen assertion can be replayed');
  await page.screenshot({ path: '.roster/screenshots/console/settings-confirm-1280-light.png' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');

  await toggle.click();
  await dialog.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByText(`IdP-initiated sign-in is on for ${samlName}.`)).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await page.reload();
  await expect(toggle).toHaveAttribute('aria-checked', 'true');

  // Off: no confirmation.
  await toggle.click();
  await expect(page.getByText(`IdP-initiated sign-in is off for ${samlName}.`)).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
});

test('an auditor sees the values, and no save button or switch', async ({ page, context }) => {
  test.slow();
  await tenant.signIn(context, 'auditor');
  await page.goto('/admin/settings');
  await expectConsolePage(page, 'Settings', 'Settings');
  await expect(page.getByLabel('Purge deprovisioned accounts after (days)')).toHaveValue('90');
  await expect(page.getByLabel('Purge deprovisioned accounts after (days)')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save settings' })).toHaveCount(0);
  await expect(page.getByRole('switch')).toHaveCount(0);
  await expect(page.getByLabel(`IdP-initiated sign-in for ${samlName}`)).toHaveText('Off');
  await reviewPage(page, 'settings-auditor', () => expect(page.getByRole('form', { name: 'Organization settings' })).toBeVisible());
});
