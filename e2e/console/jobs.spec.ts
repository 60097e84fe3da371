import { expect, test } from '../fixtures';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';
import { expectConsolePage, reviewPage } from '../fixtures/console-page';
import { accountStatuses, seedHaltedEndDateRun } from '../fixtures/job-runs';

const ENDED = 5;
let tenant: ConsoleTenant;
test.beforeAll(async () => {
  tenant = await createConsoleTenant({ accounts: 20 });
});
test.afterAll(() => tenant.close());

test('an admin sees the halted run first, previews the job with a dry run, confirms the run in a dialog, and the accounts are suspended', async ({ page, context }) => {
  const seeded = await seedHaltedEndDateRun(tenant, ENDED);
  await tenant.signIn(context, 'admin');
  await page.goto('/admin/jobs');
  await expectConsolePage(page, 'Jobs', 'Jobs');

  const halted = page.getByRole('region', { name: 'account-end-date halted: it waits for an administrator' });
  await expect(halted).toContainText(seeded.haltReason);
  await expect(halted).toContainText(`Confirmed, the run would suspend ${ENDED} accounts past their end date.`);
  const jobs = page.getByRole('table', { name: 'Organization jobs' });
  await expect(jobs.getByRole('row', { name: /account-end-date/ })).toContainText('every 5 minutes');
  await expect(jobs.getByRole('row', { name: /role-expiry/ })).toContainText('every minute');
  const history = page.getByRole('table', { name: 'Job runs' });
  await expect(history.locator(`tr[data-run-id="${seeded.runId}"]`)).toContainText('halted');
  await expect(history.locator('tr[data-status="failed"]')).toContainText('connection reset by peer');
  await reviewPage(page, 'jobs', () => expect(halted).toBeVisible());

  // The run's own page: why it halted, and the accounts it halted on (the plan run-job keeps).
  await page.goto(`/admin/jobs/${seeded.runId}`);
  await expectConsolePage(page, `Run ${seeded.runId.slice(0, 8)} of account-end-date`, 'Jobs');
  const plan = page.getByRole('table', { name: 'What the run halted on' });
  await expect(plan.getByRole('row')).toHaveCount(ENDED + 1);
  await expect(plan).toContainText(seeded.accounts[0]!.userName);
  await reviewPage(page, 'job-run', () => expect(plan).toBeVisible());

  // A dry run shows the plan and changes nothing.
  await page.goto('/admin/jobs');
  await page.getByRole('button', { name: 'Dry run account-end-date' }).click();
  const dry = page.getByRole('dialog', { name: 'Dry run of account-end-date' });
  await expect(dry).toContainText(`A run now would suspend ${ENDED} accounts past their end date, but the circuit breaker would halt it.`);
  const drafted = dry.getByRole('table', { name: 'What the run would do' });
  await expect(drafted.getByRole('row')).toHaveCount(ENDED + 1);
  await expect(drafted.getByRole('row', { name: new RegExp(seeded.accounts[0]!.userName) })).toContainText('end date');
  await page.screenshot({ path: '.roster/screenshots/console/jobs-dry-run-1280-light.png' });
  await dry.getByRole('button', { name: 'Done' }).click();
  expect(await accountStatuses(seeded.accounts.map((a) => a.id))).toEqual(Array(ENDED).fill('active'));

  // Confirm run: the dialog says what will happen, then the run proceeds.
  await halted.getByRole('button', { name: 'Confirm run' }).click();
  const confirm = page.getByRole('dialog', { name: 'Confirm the halted run of account-end-date?' });
  await expect(confirm).toContainText(`will suspend ${ENDED} accounts past their end date`);
  await expect(confirm).toContainText(seeded.accounts[0]!.userName);
  await page.screenshot({ path: '.roster/screenshots/console/jobs-confirm-1280-light.png' });
  await confirm.getByRole('button', { name: 'Confirm run' }).click();
  await expect(page.getByText(`Confirmed: account-end-date ran and did suspend ${ENDED} accounts past their end date.`)).toBeVisible();
  await expect(halted).toHaveCount(0);
  const confirmed = history.locator('tr[data-status="succeeded"]').filter({ hasText: 'Console' }).filter({ hasText: `Confirmed run ${seeded.runId.slice(0, 8)}` });
  await expect(confirmed).toHaveCount(1);
  await expect(confirmed).toContainText(`end ${ENDED}`);
  expect(await accountStatuses(seeded.accounts.map((a) => a.id))).toEqual(Array(ENDED).fill('suspended'));
  await page.screenshot({ path: '.roster/screenshots/console/jobs-confirmed-1280-light.png', fullPage: true });

  // Filters in the URL: the halted run alone.
  await page.getByLabel('Status').selectOption('halted');
  await expect(page).toHaveURL(/status=halted/);
  await expect(history.locator('tr[data-run-id]:not([data-status="halted"])')).toHaveCount(0);
  await expect(history.locator(`tr[data-run-id="${seeded.runId}"]`)).toContainText('Confirmed');

  // The audit trail has the confirmation in words.
  await page.goto('/admin/audit?action=job.run_confirmed');
  await expect(page.getByRole('table', { name: 'Audit events' })).toContainText(`confirmed the halted run ${seeded.runId.slice(0, 8)} of account-end-date: it may suspend ${ENDED} accounts past their end date`);
});

test("an auditor sees the halted run and the history but no button; another organization's run is a 404", async ({ page, context }) => {
  const own = await createConsoleTenant({ accounts: 20 });
  const other = await createConsoleTenant({ accounts: 20 });
  try {
    const seeded = await seedHaltedEndDateRun(own, ENDED);
    const elsewhere = await seedHaltedEndDateRun(other, ENDED);
    await own.signIn(context, 'auditor');
    await page.goto('/admin/jobs');
    await expectConsolePage(page, 'Jobs', 'Jobs');
    await expect(page.getByRole('region', { name: /account-end-date halted/ })).toContainText(seeded.haltReason);
    await expect(page.getByRole('table', { name: 'Job runs' }).locator(`tr[data-run-id="${seeded.runId}"]`)).toBeVisible();
    await expect(page.getByRole('table', { name: 'Job runs' }).locator(`tr[data-run-id="${elsewhere.runId}"]`)).toHaveCount(0);
    for (const verb of [/^Confirm run/, /^Dry run/]) await expect(page.getByRole('button', { name: verb })).toHaveCount(0);
    await page.getByRole('link', { name: 'View run: the halted run of account-end-date' }).click();
    await expectConsolePage(page, `Run ${seeded.runId.slice(0, 8)} of account-end-date`, 'Jobs');
    await expect(page.getByRole('table', { name: 'What the run halted on' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Confirm run/ })).toHaveCount(0);

    const answered = await page.goto(`/admin/jobs/${elsewhere.runId}`);
    expect(answered?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    expect(await accountStatuses(elsewhere.accounts.map((a) => a.id))).toEqual(Array(ENDED).fill('active'));
  } finally {
    await own.close();
    await other.close();
  }
});
