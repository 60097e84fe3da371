import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';
import { expectConsolePage, reviewPage } from '../fixtures/console-page';
import { runDormancyJob, seedDormancyAccounts, setSeatPrice } from '../fixtures/dormancy';
import { accountStatuses } from '../fixtures/job-runs';

/**
 * The dormancy and seats pages. The tenant: an admin and an auditor, 10 accounts active 5 days ago,
 * 4 last active 40 days ago, 2 last active 100 days ago, and one suspended for dormancy 40 days ago.
 * With dormant after 30, suspend after 60, deprovision after 30: 4 dormant, 2 to suspend, 1 to
 * deprovision, i.e. 3 changes of 18 active accounts (16.7%): over the breaker's default 10%.
 */
let tenant: ConsoleTenant;
let seeded: Awaited<ReturnType<typeof seedDormancyAccounts>>;
test.beforeAll(async () => {
  tenant = await createConsoleTenant();
  seeded = await seedDormancyAccounts(tenant, { recent: 10, dormant: 4, stale: 2 });
});
test.afterAll(() => tenant.close());
// One story: the policy saved and the job run in the first test are what the next two look at.
test.describe.configure({ mode: 'serial' });

const policyForm = (page: Page) => page.getByRole('form', { name: 'Dormancy policy' });
const count = (page: Page, label: string) => page.getByTestId('dormancy-preview').locator(`[data-count="${label}"] dd`);

test('an admin previews and applies a policy; the job halts on the breaker, then suspends once the limit allows it', async ({ page, context }) => {
  await tenant.signIn(context, 'admin');
  await page.goto('/admin/dormancy');
  await expectConsolePage(page, 'Dormancy', 'Dormancy');
  await expect(page.getByText('No dormancy policy', { exact: true })).toBeVisible();
  await reviewPage(page, 'dormancy-empty', () => expect(policyForm(page)).toBeVisible());

  const form = policyForm(page);
  await form.getByLabel('Dormant after (days)').fill('30');
  await form.getByLabel('Suspend after (days)').fill('10');
  await form.getByLabel('Deprovision after (days suspended)').fill('30');
  await form.getByLabel('Never signed in after (days)').fill('45');

  // An invalid value: the policy's own rule, beside its field; nothing saved.
  await form.getByRole('button', { name: 'Save policy' }).click();
  const suspend = form.getByLabel('Suspend after (days)');
  await expect(suspend).toHaveAttribute('aria-invalid', 'true');
  await expect(suspend).toHaveAccessibleDescription(/Suspend after \(10\) must be at least dormant after \(30\)/);
  await suspend.fill('60');

  // Preview with the breaker at its default: the counts, the halt and why, the accounts with their clause.
  await form.getByRole('button', { name: 'Preview' }).click();
  await expect(count(page, 'dormant')).toHaveText('4');
  await expect(count(page, 'warn')).toHaveText('0');
  await expect(count(page, 'suspend')).toHaveText('2');
  await expect(count(page, 'deprovision')).toHaveText('1');
  await expect(page.getByTestId('breaker-halt')).toContainText('the run would suspend or deprovision 3 of 18 active accounts (16.7%), over the limit of 10%');
  const planned = page.getByRole('table', { name: 'What a run would do' });
  await expect(planned.getByRole('row')).toHaveCount(4);
  await expect(planned.getByRole('row', { name: new RegExp(seeded.stale[0]!.userName) })).toContainText('no activity for 100 days');
  await expect(planned.getByRole('row', { name: new RegExp(seeded.stale[0]!.userName) })).toContainText('suspend after 60');
  await expect(planned.getByRole('row', { name: new RegExp(seeded.gone[0]!.userName) })).toContainText('deprovision after 30');
  await expect(planned.getByRole('link', { name: seeded.stale[0]!.userName })).toHaveAttribute('href', `/admin/accounts/${seeded.stale[0]!.id}`);
  await page.screenshot({ path: '.roster/screenshots/console/dormancy-preview-1280-light.png', fullPage: true });
  expect(await accountStatuses(seeded.stale.map((a) => a.id))).toEqual(['active', 'active']);

  // Saved as it is: the list shows who the policy finds.
  await form.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByText('Policy saved. The dormancy job applies it on its next run.')).toBeVisible();
  await page.reload();
  const groups = page.getByRole('navigation', { name: 'Groups' });
  await expect(groups.locator('[data-group-count="dormant"]')).toHaveText('6');
  await expect(groups.locator('[data-group-count="warned"]')).toHaveText('0');
  await expect(groups.locator('[data-group-count="suspended"]')).toHaveText('1');
  const dormantTable = page.getByRole('table', { name: 'Dormant' });
  await expect(dormantTable.getByRole('row')).toHaveCount(7);
  await expect(dormantTable.getByRole('link', { name: seeded.dormant[0]!.userName })).toHaveAttribute('href', `/admin/accounts/${seeded.dormant[0]!.id}`);

  // The job as the schedule runs it: the breaker halts it, nothing changes.
  const halted = await runDormancyJob(tenant);
  expect(halted).toMatchObject({ status: 'halted', counts: { suspend: 2, deprovision: 1 } });
  await page.reload();
  await expect(page.getByTestId('dormancy-last-run')).toContainText('halted');
  await expect(page.getByTestId('dormancy-last-run')).toContainText('over the limit of 10%');
  expect(await accountStatuses(seeded.stale.map((a) => a.id))).toEqual(['active', 'active']);

  // A limit that lets it through, previewed then saved; the next run suspends and deprovisions.
  await policyForm(page).getByLabel('Max share (%)').fill('20');
  await policyForm(page).getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByTestId('dormancy-preview')).toContainText('The circuit breaker would let the run through: 3 of 18 active accounts');
  await policyForm(page).getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByText('Policy saved. The dormancy job applies it on its next run.')).toBeVisible();
  const done = await runDormancyJob(tenant);
  expect(done).toMatchObject({ status: 'succeeded', counts: { suspend: 2, deprovision: 1 } });
  expect(await accountStatuses([...seeded.stale, ...seeded.gone].map((a) => a.id))).toEqual(['suspended', 'suspended', 'deprovisioned']);
  await page.goto('/admin/dormancy?group=suspended');
  await expect(page.getByTestId('dormancy-last-run')).toContainText('succeeded');
  const suspendedTable = page.getByRole('table', { name: 'Suspended for dormancy' });
  await expect(suspendedTable.getByRole('row')).toHaveCount(3);
  await expect(suspendedTable).toContainText(seeded.stale[0]!.userName);
  await reviewPage(page, 'dormancy', () => expect(suspendedTable).toBeVisible());
  await page.getByRole('link', { name: 'Dormancy job runs' }).click();
  await expect(page).toHaveURL(/\/admin\/jobs\?job=dormancy/);

  // The overview counts the dormant accounts and links here.
  await page.goto('/admin');
  const card = page.getByRole('link', { name: /^Dormant/ });
  await expect(card).toHaveAttribute('href', '/admin/dormancy');
  await expect(card).toContainText('4');
  await page.screenshot({ path: '.roster/screenshots/console/dormancy-overview-1280-light.png' });
  await page.setViewportSize({ width: 768, height: 900 });
  await page.screenshot({ path: '.roster/screenshots/console/dormancy-overview-768-light.png' });
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('the seats page shows the figures, the chart and the saving', async ({ page, context }) => {
  await tenant.signIn(context, 'admin');
  await page.goto('/admin/seats');
  await expectConsolePage(page, 'Seats', 'Seats');
  await expect(page.getByTestId('seat-price-missing')).toContainText('seatPricePerMonth');
  await setSeatPrice(tenant, 12.5);
  await page.reload();
  const figures = page.getByRole('region', { name: 'Seat figures' });
  await expect(figures.getByRole('link', { name: /^Active seats/ })).toContainText('16');
  await expect(figures.getByRole('link', { name: /^Dormant/ })).toContainText('4');
  await expect(figures.locator('[data-stat="Reclaimed"] [data-value]')).toHaveText('2');
  await expect(page.getByTestId('monthly-saving')).toHaveText('25.00 a month');
  await expect(page.getByRole('figure', { name: 'Active seats per role' })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Active seats per connection' }).locator('svg.recharts-surface').last()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Seats per role', exact: true })).toContainText('(no role)');
  // The chart's numbers, for screen readers.
  await expect(page.getByRole('table', { name: 'Active seats per connection', exact: true })).toHaveCount(1);
  await reviewPage(page, 'seats', () => expect(page.getByRole('figure', { name: 'Active seats per connection' }).locator('svg.recharts-surface').last()).toBeVisible());
});

test('an auditor sees the policy and the list, but no editor buttons', async ({ page, context }) => {
  await tenant.signIn(context, 'auditor');
  await page.goto('/admin/dormancy');
  await expectConsolePage(page, 'Dormancy', 'Dormancy');
  await expect(policyForm(page).getByLabel('Dormant after (days)')).toHaveValue('30');
  await expect(policyForm(page).getByLabel('Dormant after (days)')).toBeDisabled();
  for (const name of ['Preview', 'Save policy']) await expect(page.getByRole('button', { name })).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Groups' })).toBeVisible();
  await reviewPage(page, 'dormancy-auditor', () => expect(policyForm(page)).toBeVisible());
});
