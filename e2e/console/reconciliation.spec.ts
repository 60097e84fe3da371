import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';
import { expectConsolePage, reviewPage } from '../fixtures/console-page';
import { accountStatuses } from '../fixtures/job-runs';
import { hrExport, seedEmployees } from '../fixtures/reconcile';

/**
 * The reconciliation pages, one story: an admin creates a CSV source by uploading a Workday-style
 * export and mapping its columns, dry-runs it, applies the one remediation it plans (1002,
 * terminated at the source, is suspended) and sees it on the account; then an auditor looks
 * without any action buttons. The tenant's admin and auditor are not in the export: orphans, reported.
 */
let tenant: ConsoleTenant;
let people: Awaited<ReturnType<typeof seedEmployees>>;
test.beforeAll(async () => {
  tenant = await createConsoleTenant();
  people = await seedEmployees(tenant);
});
test.afterAll(() => tenant.close());
test.describe.configure({ mode: 'serial' });

let runUrl = '';
const sourceForm = (page: Page) => page.getByRole('form', { name: 'New source' });

test('an admin uploads an export, maps it, sees the findings and applies one remediation', async ({ page, context }) => {
  // Four page reviews (axe at 1280/768, light/dark each) besides the flow: past 60 s on a loaded 2-core machine.
  test.slow();
  await tenant.signIn(context, 'admin');
  await page.goto('/admin/reconciliation');
  await expectConsolePage(page, 'Reconciliation', 'Reconciliation');
  await expect(page.getByText('No sources yet', { exact: true })).toBeVisible();
  await reviewPage(page, 'reconciliation-empty', () => expect(page.getByText('No sources yet', { exact: true })).toBeVisible());

  await page.getByRole('link', { name: 'New source' }).first().click();
  await expectConsolePage(page, 'New source', 'Reconciliation');
  await reviewPage(page, 'reconciliation-new-source', () => expect(sourceForm(page)).toBeVisible());
  const form = sourceForm(page);
  await form.getByLabel('Name', { exact: true }).fill('Workday');
  await form.getByLabel('Sample file').setInputFiles(hrExport(tenant));

  // The suggestion from the Workday headers, the first rows, the status values seen.
  const columns = form.getByRole('table', { name: 'Column mapping' });
  await expect(columns.getByRole('row')).toHaveCount(5);
  await expect(form.getByLabel('Field for Employee ID')).toHaveValue('employeeNumber');
  await expect(form.getByLabel('Field for Work Email')).toHaveValue('email');
  await expect(form.getByLabel('Field for Worker Status')).toHaveValue('status');
  await expect(columns.getByRole('row', { name: /Department/ })).toContainText('Sales · Engineering · Support');
  // Live problems: no key column left, then put back.
  await form.getByLabel('Field for Employee ID').selectOption('ignore');
  await form.getByLabel('Field for Work Email').selectOption('ignore');
  await expect(page.getByTestId('mapping-problems')).toContainText('no key column');
  await form.getByLabel('Field for Employee ID').selectOption('employeeNumber');
  await form.getByLabel('Field for Work Email').selectOption('email');
  await form.getByLabel('Field for Department').selectOption('department');
  await form.getByLabel('Terminated').selectOption('inactive');
  await form.getByLabel('Active', { exact: true }).selectOption('active');
  await expect(page.getByTestId('mapping-problems')).toHaveText('The mapping reads this file.');
  // Only what each category allows: drift can be updated, missing never suspended.
  await expect(form.getByLabel('Drift', { exact: true }).locator('option')).toHaveText(['Report only', 'Update from the source', 'Open a review item']);
  await expect(form.getByLabel('Missing', { exact: true }).locator('option')).toHaveText(['Report only', 'Open a review item']);
  await form.getByLabel('Stale', { exact: true }).selectOption('suspend');
  await form.getByLabel('Max share (%)').fill('101');
  await form.getByRole('button', { name: 'Create source' }).click();
  await expect(form.getByLabel('Max share (%)')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Max share (%)')).toHaveAccessibleDescription('Max share must be at most 100.');
  await form.getByLabel('Max share (%)').fill('50');
  await page.screenshot({ path: '.roster/screenshots/console/reconciliation-mapping-1280-light.png', fullPage: true });
  await form.getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByText('Source Workday created.')).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/reconciliation$/);

  const sources = page.getByRole('table', { name: 'Sources' });
  await expect(sources.getByRole('row', { name: /Workday/ })).toContainText('Stale: suspend');
  await expect(sources.getByRole('row', { name: /Workday/ })).toContainText('Not run yet');

  // Run now: a dry run of the upload, then Apply behind a dialog saying what it will do.
  await page.getByRole('button', { name: 'Run Workday now' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run Workday' });
  await dialog.getByLabel('CSV file').setInputFiles(hrExport(tenant));
  await dialog.getByRole('button', { name: 'Dry run' }).click();
  const report = dialog.getByTestId('run-report');
  await expect(report).toContainText('A run now would suspend 1 account.');
  await expect(report.locator('[data-count="stale"] dd')).toHaveText('1');
  await expect(report.locator('[data-count="drift"] dd')).toHaveText('1');
  await expect(report.locator('[data-count="missing"] dd')).toHaveText('1');
  await expect(report.locator('[data-count="orphan"] dd')).toHaveText('2');
  await expect(report.locator('[data-count="matched"] dd')).toHaveText('1');
  expect(await accountStatuses([people['1002']!.id])).toEqual(['active']);
  await page.screenshot({ path: '.roster/screenshots/console/reconciliation-dry-run-1280-light.png' });

  await dialog.getByRole('button', { name: 'Apply' }).click();
  const confirm = page.getByRole('dialog', { name: 'Apply the reconciliation of Workday?' });
  await expect(confirm).toContainText('will suspend 1 account');
  await confirm.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('Run complete: suspended 1 account.').first()).toBeVisible();
  await expect(report).toContainText('Done: suspended 1 account.');
  expect(await accountStatuses([people['1002']!.id, people['1001']!.id])).toEqual(['suspended', 'active']);

  // The run: findings by category, drift details, the applied action, a drill-down to the account.
  await dialog.getByRole('link', { name: 'Open the run' }).click();
  await expect(page).toHaveURL(/\/admin\/reconciliation\/runs\/[0-9a-f-]{36}$/);
  runUrl = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { level: 1, name: /^Run [0-9a-f]{8} of Workday$/ })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Reconciliation' })).toHaveAttribute('aria-current', 'page');
  const chips = page.getByRole('navigation', { name: 'Categories' });
  await expect(chips.locator('[data-category-count="stale"]')).toHaveText('1');
  await expect(chips.locator('[data-category-count="orphan"]')).toHaveText('2');
  const findings = page.getByRole('table', { name: 'Findings' });
  await expect(findings.getByRole('row')).toHaveCount(6);
  await expect(findings.getByRole('row', { name: new RegExp(people['1001']!.userName) })).toContainText('department: Sales at the source, Engineering in Roster');
  await expect(findings.getByRole('row', { name: /e1004/ })).toContainText('Active at the source, no account here');
  await reviewPage(page, 'reconciliation-run', () => expect(page.getByRole('table', { name: 'Findings' })).toBeVisible());

  await chips.getByRole('link', { name: /^Stale/ }).click();
  const stale = page.getByRole('table', { name: 'Findings: stale' });
  await expect(stale.getByRole('row')).toHaveCount(2);
  await expect(stale.getByRole('row', { name: new RegExp(people['1002']!.userName) })).toContainText('Inactive at the source, active here');
  await expect(stale.getByRole('row', { name: new RegExp(people['1002']!.userName) })).toContainText('applied');
  await stale.getByRole('link', { name: people['1002']!.userName }).click();
  await expect(page).toHaveURL(`/admin/accounts/${people['1002']!.id}`);
  await expect(page.locator('main header').getByText('suspended', { exact: true })).toBeVisible();
  await expect(page.getByRole('list').getByText(/suspended/).first()).toBeVisible();

  // The list: the source's last run, the runs newest first (the real one, then the dry run).
  await page.goto('/admin/reconciliation');
  const runs = page.getByRole('table', { name: 'Reconciliation runs' });
  await expect(runs.getByRole('row')).toHaveCount(3);
  await expect(runs.getByRole('row').nth(1)).toContainText('completed');
  await expect(runs.getByRole('row').nth(1)).toContainText('Done: suspended 1 account');
  await expect(runs.getByRole('row').nth(2)).toContainText('dry run');
  await expect(runs.getByRole('row').nth(2)).toContainText('Would suspend 1 account');
  await reviewPage(page, 'reconciliation', () => expect(page.getByRole('table', { name: 'Reconciliation runs' })).toBeVisible());
});

test('an auditor sees sources, runs and findings, with no action buttons', async ({ page, context }) => {
  await tenant.signIn(context, 'auditor');
  await page.goto('/admin/reconciliation');
  await expectConsolePage(page, 'Reconciliation', 'Reconciliation');
  await expect(page.getByRole('table', { name: 'Sources' })).toContainText('Workday');
  for (const name of [/Run .* now/, /Dry run/]) await expect(page.getByRole('button', { name })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'New source' })).toHaveCount(0);
  await reviewPage(page, 'reconciliation-auditor', () => expect(page.getByRole('table', { name: 'Sources' })).toBeVisible());
  await page.goto(runUrl);
  await expect(page.getByRole('table', { name: 'Findings' })).toBeVisible();
  for (const name of ['Apply', 'Resolve', 'Confirm run']) await expect(page.getByRole('button', { name })).toHaveCount(0);
  const response = await page.goto('/admin/reconciliation/sources/new');
  expect(response?.status()).toBe(403);
});
