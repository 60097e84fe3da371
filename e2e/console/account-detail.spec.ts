import { expect, test } from '../fixtures';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';
import { expectConsolePage, reviewPage } from '../fixtures/console-page';

let tenant: ConsoleTenant;
test.beforeAll(async () => {
  tenant = await createConsoleTenant({ accounts: 50 });
});
test.afterAll(() => tenant.close());

test('the account page shows profile and owners, roles with their source, identities, sessions and a timeline', async ({ page, context }) => {
  await tenant.signIn(context, 'admin');
  await page.goto(`/admin/accounts/${tenant.auditor.account.id}`);
  await expectConsolePage(page, tenant.auditor.account.displayName ?? tenant.auditor.account.userName, 'Accounts');
  await expect(page.getByRole('table').filter({ hasText: 'Attribute' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Auditor/ })).toContainText('Granted by');
  await reviewPage(page, 'account-detail', () => expect(page.getByRole('heading', { name: 'Timeline' })).toBeVisible());
});
