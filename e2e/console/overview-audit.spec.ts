import { expect, test } from '../fixtures';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';
import { expectConsolePage, reviewPage } from '../fixtures/console-page';

let tenant: ConsoleTenant;
test.beforeAll(async () => {
  tenant = await createConsoleTenant({ accounts: 500 });
});
test.afterAll(() => tenant.close());

test('the overview counts accounts by status, charts sign-ins, lists admin actions and refusals', async ({ page, context }) => {
  await tenant.signIn(context, 'admin');
  await page.goto('/admin');
  await expectConsolePage(page, 'Overview', 'Overview');
  const stats = page.getByRole('region', { name: 'Accounts by status' });
  await expect(stats.getByRole('link', { name: /Suspended/ })).toContainText('50');
  await expect(page.getByRole('figure', { name: 'Sign-ins and JIT joins per day' })).toBeVisible();
  await expect(page.getByText(/was granted the role Auditor/)).toBeVisible();
  await stats.getByRole('link', { name: /Never signed in/ }).click();
  await expect(page).toHaveURL(/never=1/);
  await page.goto('/admin');
  await reviewPage(page, 'overview', () => expect(page.getByRole('figure', { name: 'SCIM events per day' })).toBeVisible());
});

test('the audit log says what happened in words, filters in the URL, exports the same filter', async ({ page, context, request }) => {
  await tenant.signIn(context, 'admin');
  await page.goto('/admin/audit');
  await expectConsolePage(page, 'Audit log', 'Audit log');
  await expect(page.getByRole('table', { name: 'Audit events' }).getByText(/was granted the role Auditor by/)).toBeVisible();
  await page.getByLabel('Event', { exact: true }).selectOption('role.granted');
  await expect(page).toHaveURL(/action=role.granted/);
  await expect(page.locator('tr[data-action]:not([data-action="role.granted"])')).toHaveCount(0);
  await expect(page.locator('tr[data-action="role.granted"]')).not.toHaveCount(0);
  const cookies = await context.cookies();
  const csv = await request.get('/admin/audit/export?action=role.granted', { headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') } });
  const lines = (await csv.text()).trim().split(/\r?\n/);
  expect(lines[0]).toMatch(/^id,time,actor_type/);
  expect(lines.slice(1).every((l) => l.includes(',role.granted,'))).toBe(true);
  const typo = await request.get('/admin/audit/export?action=role.grantd', { headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') } });
  expect(typo.status()).toBe(400);
  await page.goto('/admin/audit');
  await reviewPage(page, 'audit', () => expect(page.getByRole('table', { name: 'Audit events' })).toBeVisible());
});
