import { expect, test } from '../fixtures';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';
import { expectConsolePage, reviewPage } from '../fixtures/console-page';
import { ScimClient } from '../fixtures/scim-client';

/**
 * The SCIM page. An admin creates a token in the browser (shown once, with the tenant URL), copies
 * it, and the test uses it as an IdP would: a create and a refused list filter, which the request
 * log shows, the refusal first. The admin revokes the token; the next SCIM call is refused (401).
 * The auditor sees the same page without create or revoke.
 */
let tenant: ConsoleTenant;
test.beforeAll(async () => {
  tenant = await createConsoleTenant();
});
test.afterAll(() => tenant.close());
test.describe.configure({ mode: 'serial' });

const appUrl = () => process.env.E2E_APP_URL!;

test('with no token yet, the page says what to paste into the IdP', async ({ page, context }) => {
  await tenant.signIn(context, 'admin');
  await page.goto('/admin/scim');
  await expectConsolePage(page, 'SCIM', 'SCIM');
  await expect(page.getByText('No SCIM tokens yet')).toBeVisible();
  const empty = page.getByText('No SCIM requests yet');
  await expect(empty).toBeVisible();
  await expect(page.locator('[data-idp-value="Tenant URL"] code')).toHaveText(`${appUrl()}/api/scim/v2`);
  await expect(page.locator('[data-idp-value="Tenant URL for Entra ID"] code')).toHaveText(`${appUrl()}/api/scim/v2?aadOptscim062020`);
  await reviewPage(page, 'scim-empty', () => expect(empty).toBeVisible());
});

test('an admin creates a token, the IdP uses it, the log shows the refusal first, and a revoked token is refused at once', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: appUrl() });
  await tenant.signIn(context, 'admin');
  await page.goto('/admin/scim');

  await page.getByRole('button', { name: 'Create token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create a SCIM token' });
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await expect(dialog.getByText('Required: what the token is for')).toBeVisible();
  await dialog.getByLabel('Name').fill('Okta e2e');
  await dialog.getByLabel('Connection').selectOption({ label: 'Console IdP' });
  await dialog.getByRole('button', { name: 'Create token' }).click();
  const shown = page.getByRole('dialog', { name: 'SCIM token Okta e2e' });
  await expect(shown.getByText('The token is shown only now.')).toBeVisible();
  await expect(shown.locator('[data-idp-value="Tenant URL"] code')).toHaveText(`${appUrl()}/api/scim/v2`);
  await page.screenshot({ path: '.roster/screenshots/console/scim-token-shown-1280-light.png' });
  await shown.getByRole('button', { name: 'Copy Secret token' }).click();
  const token = await page.evaluate(() => navigator.clipboard.readText());
  expect(token).toMatch(/^roster_scim_/);
  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(shown).toHaveCount(0);
  const tokenRow = page.getByRole('table', { name: 'SCIM tokens' }).getByRole('row', { name: /Okta e2e/ });
  await expect(tokenRow).toContainText('Console IdP');
  await expect(tokenRow).toContainText('active');
  await expect(tokenRow).toContainText(`${token.slice(0, 18)}…`);
  await expect(page.getByText(token)).toHaveCount(0);

  const scim = new ScimClient(`${appUrl()}/api/scim/v2`, token);
  expect((await scim.createUser({ userName: 'sam.scim@console.test', email: 'sam.scim@console.test', givenName: 'Sam', familyName: 'Scim' })).status).toBe(201);
  const refused = await scim.send('GET', `/Users?filter=${encodeURIComponent('userName zz "sam"')}`);
  expect(refused.status).toBe(400);

  const log = page.getByRole('table', { name: 'Recent SCIM requests' });
  await expect(async () => {
    await page.reload();
    await expect(log.getByRole('row')).toHaveCount(3, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  const [first, second] = [log.getByRole('row').nth(1), log.getByRole('row').nth(2)];
  await expect(first).toHaveAttribute('data-scim-request', '400');
  await expect(first).toContainText('invalidFilter');
  await expect(first).toContainText('GET /Users?filter=userName zz "sam"');
  await expect(first).toContainText('Okta e2e');
  await expect(second).toHaveAttribute('data-scim-request', '201');
  await expect(second).toContainText('POST /Users');
  await expect(second).toContainText('sam.scim@console.test');
  await expect(tokenRow.getByRole('cell').nth(3)).not.toHaveText('Never');
  await reviewPage(page, 'scim', () => expect(log).toBeVisible());

  await page.getByRole('navigation', { name: 'Outcome' }).getByRole('link', { name: 'Refused only' }).click();
  await expect(page).toHaveURL(/outcome=refused/);
  await expect(log.getByRole('row')).toHaveCount(2);

  await tokenRow.getByRole('button', { name: 'Revoke' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke Okta e2e?' });
  await expect(confirm).toContainText('refused at once');
  await confirm.getByRole('button', { name: 'Revoke token' }).click();
  await expect(page.getByText('Revoked the SCIM token Okta e2e')).toBeVisible();
  await expect(tokenRow).toContainText('revoked');
  await expect(tokenRow.getByRole('button', { name: 'Revoke' })).toHaveCount(0);
  expect((await scim.send('GET', '/Users')).status).toBe(401);
});

test('an auditor sees the tokens and the log, with nothing to create or revoke', async ({ page, context }) => {
  await tenant.signIn(context, 'auditor');
  await page.goto('/admin/scim');
  await expectConsolePage(page, 'SCIM', 'SCIM');
  await expect(page.getByRole('table', { name: 'SCIM tokens' }).getByRole('row', { name: /Okta e2e/ })).toContainText('revoked');
  await expect(page.getByRole('table', { name: 'Recent SCIM requests' }).getByRole('row').nth(1)).toHaveAttribute('data-scim-request', '400');
  for (const name of ['Create token', 'Revoke']) await expect(page.getByRole('button', { name })).toHaveCount(0);
});
