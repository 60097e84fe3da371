import { expect, test } from '../fixtures';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';
import { expectConsolePage, reviewPage } from '../fixtures/console-page';

let tenant: ConsoleTenant;
test.beforeAll(async () => {
  tenant = await createConsoleTenant({ accounts: 50 });
});
test.afterAll(() => tenant.close());

const nameOf = (a: { displayName: string | null; userName: string }) => a.displayName ?? a.userName;

test('the account page shows profile and owners, roles with their source, identities, sessions and a timeline', async ({ page, context }) => {
  await tenant.signIn(context, 'admin');
  await page.goto(`/admin/accounts/${tenant.auditor.account.id}`);
  await expectConsolePage(page, nameOf(tenant.auditor.account), 'Accounts');
  await expect(page.getByRole('table').filter({ hasText: 'Attribute' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Auditor/ })).toContainText('Granted by');
  await expect(page.getByRole('heading', { name: 'Timeline' })).toBeVisible();
  await reviewPage(page, 'account-detail', () => expect(page.getByRole('heading', { name: 'Timeline' })).toBeVisible());
});

test('an admin grants a role until a date, revokes it, ends the sessions and suspends, each confirmed in a dialog and audited', async ({ page, context }) => {
  await tenant.signIn(context, 'admin');
  const { account: target } = await tenant.makeMember();
  await page.goto(`/admin/accounts/${target.id}`);

  await page.getByRole('button', { name: 'Grant a role' }).click();
  const grant = page.getByRole('dialog', { name: 'Grant a role' });
  await grant.getByLabel('Role').selectOption('engineering');
  await grant.getByLabel('Until (optional)').fill('2020-01-01');
  await grant.getByRole('button', { name: 'Grant' }).click();
  await expect(grant.getByText('The end date must be in the future.')).toBeVisible();
  await expect(grant.getByLabel('Until (optional)')).toHaveAttribute('aria-invalid', 'true');
  await grant.getByLabel('Until (optional)').fill('2099-06-30');
  await grant.getByRole('button', { name: 'Grant' }).click();
  await expect(page.getByText('Granted Engineering.')).toBeVisible();
  const row = page.getByRole('row', { name: /Engineering/ });
  await expect(row).toContainText('Granted by');
  await expect(row).not.toContainText('Never');

  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog', { name: 'Revoke Engineering?' }).getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByText('Revoked Engineering.')).toBeVisible();
  await expect(page.getByRole('row', { name: /Engineering/ })).toHaveCount(0);

  await page.getByRole('button', { name: 'Revoke sessions' }).click();
  await page.getByRole('dialog', { name: 'End every session?' }).getByRole('button', { name: 'Revoke sessions' }).click();
  await expect(page.getByText('1 session(s) ended.')).toBeVisible();

  await page.getByRole('button', { name: 'Suspend' }).click();
  const suspend = page.getByRole('dialog', { name: /Suspend/ });
  await suspend.getByLabel('Reason (for the audit trail)').fill('left the audit firm');
  await suspend.getByRole('button', { name: 'Suspend' }).click();
  await expect(page.getByText('Suspended;')).toBeVisible();
  await expect(page.locator('main header').getByText('suspended', { exact: true })).toBeVisible();
  await expect(page.getByRole('list').getByText(/was suspended by .*left the audit firm/)).toBeVisible();

  await page.getByRole('button', { name: 'Restore' }).click();
  await page.getByRole('dialog', { name: /Restore/ }).getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByText('Restored.')).toBeVisible();
});

test('an auditor sees everything and is offered no action; another organization\'s account is a 404', async ({ page, context }) => {
  await tenant.signIn(context, 'auditor');
  await page.goto(`/admin/accounts/${tenant.admin.account.id}`);
  await expectConsolePage(page, nameOf(tenant.admin.account), 'Accounts');
  await expect(page.getByRole('navigation', { name: 'Console' })).toBeVisible();
  await expect(page.getByText('Auditor (read-only)').first()).toBeAttached();
  for (const verb of ['Suspend', 'Deprovision', 'Place hold', 'Grant a role', 'Revoke sessions']) await expect(page.getByRole('button', { name: verb })).toHaveCount(0);

  const other = await createConsoleTenant();
  try {
    const answered = await page.goto(`/admin/accounts/${other.admin.account.id}`);
    expect(answered?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  } finally {
    await other.close();
  }
});

test('the people page lists the administrators and auditors, with how each was granted', async ({ page, context }) => {
  await tenant.signIn(context, 'admin');
  await page.goto('/admin/people');
  await expectConsolePage(page, 'People', 'People');
  await expect(page.getByRole('region', { name: 'Administrators' }).getByRole('link', { name: nameOf(tenant.admin.account) })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Auditors' }).getByRole('link', { name: nameOf(tenant.auditor.account) })).toBeVisible();
  await reviewPage(page, 'people', () => expect(page.getByRole('heading', { name: 'Auditors' })).toBeVisible());
});
