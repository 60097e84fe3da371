import { expect, test } from '../fixtures';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';
import { expectConsolePage, reviewPage } from '../fixtures/console-page';

let tenant: ConsoleTenant;
test.beforeAll(async () => {
  tenant = await createConsoleTenant({ accounts: 10_000 });
});
test.afterAll(() => tenant.close());

/** The seed: user00001…user10000; every 10th suspended, every 47th deprovisioned; departments cycle through five. */
const ACCOUNTS = 10_000 + 2;

test('the accounts list: exact totals, filters kept in the URL, sorting, keyset pages', async ({ page, context }) => {
  await tenant.signIn(context, 'admin');
  await page.goto('/admin/accounts');
  await expectConsolePage(page, 'Accounts', 'Accounts');
  await expect(page.getByText(`${ACCOUNTS.toLocaleString('en-US')} accounts in`)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Accounts' }).getByRole('row')).toHaveCount(51);

  await page.getByRole('checkbox', { name: 'Suspended' }).check();
  await expect(page).toHaveURL(/status=suspended/);
  await expect(page.getByText('accounts match the filter')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Accounts' }).getByText('active', { exact: true })).toHaveCount(0);
  const suspended = await page.getByText(/accounts match the filter/).textContent();
  expect(Number(suspended!.replace(/\D/g, ''))).toBeGreaterThan(900);

  await page.getByLabel('Search').fill('user0001');
  await expect(page).toHaveURL(/q=user0001/);
  await expect(page.getByRole('table', { name: 'Accounts' }).getByRole('row')).toHaveCount(2); // header + user00010
  await expect(page.getByRole('link', { name: 'Person 00010' })).toBeVisible();

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).not.toHaveURL(/status=/);
  await expect(page.getByText(`${ACCOUNTS.toLocaleString('en-US')} accounts in`)).toBeVisible();
  await page.getByRole('link', { name: /Last sign-in.*: sort/ }).click();
  await expect(page).toHaveURL(/sort=lastLoginAt/);
  await expect(page.getByRole('columnheader', { name: /Last sign-in/ })).toHaveAttribute('aria-sort');
  const first = await page.getByRole('table', { name: 'Accounts' }).getByRole('row').nth(1).textContent();
  await page.getByRole('link', { name: 'Next' }).click();
  await expect(page).toHaveURL(/cursor=/);
  const second = await page.getByRole('table', { name: 'Accounts' }).getByRole('row').nth(1).textContent();
  expect(second).not.toBe(first);
  await page.getByRole('link', { name: 'Previous' }).click();
  await expect(page.getByRole('table', { name: 'Accounts' }).getByRole('row').nth(1)).toHaveText(first!);

  await page.goto('/admin/accounts');
  await reviewPage(page, 'accounts', () => expect(page.getByRole('table', { name: 'Accounts' })).toBeVisible());
});

test('CSV export streams exactly the current filter', async ({ page, context, request }) => {
  await tenant.signIn(context, 'admin');
  const cookies = await context.cookies();
  const headers = { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') };
  const all = await request.get('/admin/accounts/export', { headers });
  expect(all.status()).toBe(200);
  expect(all.headers()['content-type']).toContain('text/csv');
  const lines = (await all.text()).trim().split(/\r?\n/);
  expect(lines[0]).toBe('id,user_name,email,display_name,department,title,status,source,last_sign_in,created');
  expect(lines).toHaveLength(ACCOUNTS + 1);
  const sales = await request.get('/admin/accounts/export?status=suspended&q=user', { headers });
  const rows = (await sales.text()).trim().split(/\r?\n/).slice(1);
  expect(rows.length).toBeGreaterThan(900);
  expect(rows.every((r) => r.includes(',suspended,'))).toBe(true);
  // A typo in a filter would widen the export to every account: it is refused instead.
  const typo = await request.get('/admin/accounts/export?stauts=suspended', { headers });
  expect(typo.status()).toBe(400);
  expect(await typo.text()).toContain('unknown parameter stauts');
  expect((await request.get('/admin/accounts/export')).status()).toBe(401);
  await page.goto('/admin/accounts');
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', '/admin/accounts/export');
});

test('a bulk suspend over every account a filter matches: previewed, confirmed past the limit, audited with its run id', async ({ page, context }) => {
  await tenant.signIn(context, 'admin');
  await page.goto('/admin/accounts?q=Person&source=scim&status=active');
  const total = Number((await page.getByText(/accounts match the filter/).textContent())!.replace(/\D/g, ''));
  expect(total).toBeGreaterThan(2500);
  await page.getByRole('checkbox', { name: 'Select every account on this page' }).check();
  await expect(page.getByText('50 accounts selected')).toBeVisible();
  await page.getByRole('button', { name: `Select all ${total.toLocaleString('en-US')} accounts matching` }).click();
  await page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Suspend' }).click();
  const dialog = page.getByRole('dialog', { name: /Suspend/ });
  await dialog.getByLabel('Reason (for the audit trail)').fill('contractor offboarding');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByText(`${total.toLocaleString('en-US')} accounts will be suspended`)).toBeVisible();
  await dialog.getByLabel(/Type .* to confirm/).fill(String(total));
  await dialog.getByRole('button', { name: `Suspend ${total.toLocaleString('en-US')} accounts` }).click();
  await expect(page.getByText(`${total.toLocaleString('en-US')} accounts suspended.`)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/No account matches these filters/)).toBeVisible();
  await page.goto('/admin/audit?action=bulk.finished');
  await expect(page.getByRole('table', { name: 'Audit events' }).getByRole('row')).toHaveCount(2);
});

test('an auditor sees the list without selection or bulk actions', async ({ page, context }) => {
  await tenant.signIn(context, 'auditor');
  await page.goto('/admin/accounts');
  await expectConsolePage(page, 'Accounts', 'Accounts');
  await expect(page.getByRole('checkbox', { name: 'Select every account on this page' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Bulk actions' })).toHaveCount(0);
});

test('quick search: Ctrl+K from any console page finds an account and opens it', async ({ page, context }) => {
  await tenant.signIn(context, 'admin');
  await page.goto('/admin/people');
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Find an account' });
  await dialog.getByRole('combobox').fill('user00042');
  await dialog.getByRole('option', { name: /Person 00042/ }).click();
  await expect(page).toHaveURL(/\/admin\/accounts\/[0-9a-f-]{36}$/);
  await expectConsolePage(page, 'Person 00042', 'Accounts');
});
