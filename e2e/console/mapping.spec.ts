import { expect, test } from '../fixtures';
import { expectConsolePage, reviewPage } from '../fixtures/console-page';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';
import { createDatabase } from '../../db';
import { getConnectionById, insertConnection } from '../../db/queries/connections';
import { entraSaml } from '../../lib/jit/testing/mapping-samples';

/**
 * The claim mapping page of a SAML connection: an admin pastes an Entra ID assertion and sees the
 * email filled from the emailaddress claim URI, overrides the department with another claim and
 * sees the preview follow as they type, then saves it. An auditor reads it only.
 */
test.describe.configure({ mode: 'serial' });

const emailUri = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
const division = 'http://schemas.microsoft.com/identity/claims/division';

let tenant: ConsoleTenant;
let db: ReturnType<typeof createDatabase>;
let connectionId: string;

test.beforeAll(async () => {
  tenant = await createConsoleTenant();
  db = createDatabase(process.env.E2E_DATABASE_URL!, { max: 2 });
  const row = await insertConnection(db.db, { organizationId: tenant.organizationId, name: 'Entra ID', protocol: 'saml', allowedDomains: ['contoso.com'], requiredAttributes: ['email', 'department'] });
  connectionId = row.id;
});
test.afterAll(async () => {
  await db?.sql.end({ timeout: 5 });
  await tenant.close();
});

const field = (page: import('@playwright/test').Page, name: string) => page.getByRole('table', { name: 'Preview of the account fields' }).locator(`tr[data-field="${name}"]`);

test('an admin previews an Entra SAML assertion, overrides the department claim, sees the preview change, and saves', async ({ page, context }) => {
  await tenant.signIn(context, 'admin');
  await page.goto(`/admin/connections/${connectionId}`);
  await page.getByRole('link', { name: 'Claim mapping and preview' }).click();
  await page.waitForURL(`**/admin/connections/${connectionId}/mapping`);
  await expectConsolePage(page, 'Claim mapping', 'Connections');

  await page.getByLabel('Sample sign-in').fill(entraSaml);
  await expect(page.getByText('The signature is NOT checked')).toBeVisible();
  await expect(field(page, 'email')).toContainText('ada.lovelace@contoso.com');
  await expect(field(page, 'email')).toContainText(`from ${emailUri}`);
  await expect(field(page, 'department')).toContainText('Analytical Engines');

  const department = page.getByLabel('Department', { exact: true });
  await department.fill(division);
  await expect(field(page, 'department')).toContainText('Research');
  await expect(field(page, 'department')).toContainText(`from ${division}`);
  await expect(field(page, 'department')).toContainText('your mapping');
  // A claim the sample lacks: the required department is flagged missing.
  await department.fill('costcenter');
  await expect(page.getByRole('status')).toContainText('department is required and missing');
  await department.fill(division);

  await page.getByRole('button', { name: 'Save mapping' }).click();
  await expect(page.getByText(`Saved the mapping of department: it applies from each account’s next sign-in through Entra ID.`)).toBeVisible();
  expect((await getConnectionById(db.db, connectionId))!.claimMapping).toEqual({ department: division });
  const [event] = await db.sql<{ before: unknown; after: unknown }[]>`select before, after from audit_events where organization_id = ${tenant.organizationId} and action = 'connection.mapping_updated'`;
  expect(event).toEqual({ before: { claimMapping: {} }, after: { claimMapping: { department: division } } });

  await page.reload();
  await expect(page.getByLabel('Department', { exact: true })).toHaveValue(division);
});

test('the mapping page with a sample pasted, at 1280 and 768, light and dark, passes axe', async ({ page, context }) => {
  test.slow(); // four reloads, each with an axe run
  await tenant.signIn(context, 'admin');
  await page.goto(`/admin/connections/${connectionId}/mapping`);
  await reviewPage(page, 'connection-mapping', async () => {
    await page.getByLabel('Sample sign-in').fill(entraSaml);
    await expect(field(page, 'department')).toContainText('Research');
  });
});

test('a bad sample and an unknown custom field name are refused clearly', async ({ page, context }) => {
  await tenant.signIn(context, 'admin');
  await page.goto(`/admin/connections/${connectionId}/mapping`);
  await page.getByLabel('Sample sign-in').fill('{"email": ');
  await expect(page.getByText('Not JSON: the claims must be one JSON object')).toBeVisible();
  await page.getByRole('button', { name: 'Add a custom field' }).click();
  await page.getByLabel('Name of custom field 1').fill('cost center');
  await page.getByLabel('Claim names of custom field 1').fill('cc');
  await expect(page.getByText('extra.cost center: not a field')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save mapping' })).toBeDisabled();
});

test('an auditor reads the mapping and can preview, but not change it', async ({ page, context }) => {
  await tenant.signIn(context, 'auditor');
  await page.goto(`/admin/connections/${connectionId}/mapping`);
  await expectConsolePage(page, 'Claim mapping');
  await expect(page.getByLabel('Department', { exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save mapping' })).toHaveCount(0);
  await page.getByLabel('Sample sign-in').fill(entraSaml);
  await expect(field(page, 'email')).toContainText('ada.lovelace@contoso.com');
});
