import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';
import { expectConsolePage, reviewPage } from '../fixtures/console-page';
import { seedDepartmentAccounts, setLoginGroups, setMassChangeLimit, type Seeded } from '../fixtures/rules';

/**
 * The rules page. The tenant: an admin and an auditor, two accounts in Engineering and one in Sales.
 * The admin writes "department equals Engineering → engineering", previews it (2 gain), saves it
 * and sees the role on an account; edits it to Sales (1 gains, 2 lose) and sees the role move;
 * disables it past a mass-change limit of 1, typing the number; the auditor only reads.
 */
let tenant: ConsoleTenant;
let seeded: Record<string, Seeded[]>;
test.beforeAll(async () => {
  tenant = await createConsoleTenant();
  seeded = await seedDepartmentAccounts(tenant, [
    { prefix: 'eng', department: 'Engineering', n: 2 },
    { prefix: 'sales', department: 'Sales', n: 1 },
  ]);
});
test.afterAll(() => tenant.close());
test.describe.configure({ mode: 'serial' });

const ruleForm = (page: Page) => page.getByRole('form', { name: 'Rule' });
const count = (page: Page, which: 'gain' | 'lose') => page.getByTestId('rule-preview').first().locator(`[data-count="${which}"] dd`);
const rolesCard = (page: Page) => page.locator('section', { has: page.getByRole('heading', { name: 'Roles', exact: true }) });

/** The state a reload would lose (a preview, a dialog): screenshots at both widths and schemes, no reload. */
async function shoot(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 768]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `.roster/screenshots/console/${name}-${width}-${scheme}.png`, fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('an admin writes a rule, sees the preview, saves it, and sees a role move on an account', async ({ page, context }) => {
  const [eng1, eng2] = seeded.eng!;
  const [sales1] = seeded.sales!;
  await tenant.signIn(context, 'admin');
  // Before: the account holds no role.
  await page.goto(`/admin/accounts/${eng1!.id}`);
  await expect(rolesCard(page).getByText('No roles', { exact: true })).toBeVisible();
  await page.goto('/admin/rules');
  await expectConsolePage(page, 'Birthright rules', 'Rules');
  await expect(page.getByText('No rules yet', { exact: true })).toBeVisible();
  await reviewPage(page, 'rules-empty', () => expect(page.getByText('No rules yet', { exact: true })).toBeVisible());

  await page.getByRole('link', { name: 'New rule' }).click();
  await expectConsolePage(page, 'New rule', 'Rules');
  const form = ruleForm(page);
  // Nothing filled in: form messages beside their fields, nothing saved.
  await form.getByRole('button', { name: 'Preview' }).click();
  await expect(form.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Condition 1 value')).toHaveAccessibleDescription(/Department equals needs a value/);

  await form.getByLabel('Name').fill('Engineers');
  await form.getByLabel('Grants role').selectOption('engineering');
  await form.getByLabel('Condition 1 attribute').fill('department');
  await form.getByLabel('Condition 1 operator').selectOption({ label: 'equals' });
  await form.getByLabel('Condition 1 value').fill('Engineering');
  await form.getByRole('button', { name: 'Preview' }).click();
  await expect(count(page, 'gain')).toHaveText('2');
  await expect(count(page, 'lose')).toHaveText('0');
  const gain = page.getByRole('table', { name: 'Would gain' });
  await expect(gain.getByRole('row')).toHaveCount(3);
  await expect(gain.getByRole('link', { name: eng1!.userName })).toHaveAttribute('href', `/admin/accounts/${eng1!.id}`);
  await expect(gain).not.toContainText(sales1!.userName);
  await shoot(page, 'rule-preview');

  // Saving asks first, with the counts; confirmed, it applies at once.
  await ruleForm(page).getByRole('button', { name: 'Create rule' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create the rule?' });
  await expect(dialog).toContainText('Create "Engineers" now: 2 account(s) gain engineering and 0 lose engineering, at once.');
  await shoot(page, 'rule-confirm');
  await dialog.getByRole('button', { name: 'Create and apply' }).click();
  await expect(page.getByText('Created "Engineers": 2 granted, 0 revoked.')).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/rules$/);
  const row = page.getByRole('table', { name: 'Rules' }).getByRole('row', { name: /Engineers/ });
  await expect(row).toContainText('department equals Engineering');
  await expect(row).toContainText('enabled');
  await expect(row).toContainText('Every connection');

  await page.goto(`/admin/accounts/${eng1!.id}`);
  await expect(rolesCard(page).getByRole('row', { name: /engineering/ })).toContainText('Engineers');

  // The role moves: the rule now grants it to Sales.
  await page.goto('/admin/rules');
  await page.getByRole('link', { name: 'Edit Engineers' }).click();
  await expectConsolePage(page, 'Engineers', 'Rules');
  await expect(ruleForm(page).getByLabel('Condition 1 value')).toHaveValue('Engineering');
  await reviewPage(page, 'rule-edit', () => expect(ruleForm(page).getByLabel('Condition 1 value')).toHaveValue('Engineering'));
  await ruleForm(page).getByLabel('Condition 1 value').fill('Sales');
  await ruleForm(page).getByRole('button', { name: 'Preview' }).click();
  await expect(count(page, 'gain')).toHaveText('1');
  await expect(count(page, 'lose')).toHaveText('2');
  await expect(page.getByRole('table', { name: 'Would lose' })).toContainText(eng2!.userName);
  await ruleForm(page).getByRole('button', { name: 'Save rule' }).click();
  const save = page.getByRole('dialog', { name: 'Save the rule?' });
  await expect(save).toContainText('1 account(s) gain engineering and 2 lose engineering');
  await save.getByRole('button', { name: 'Save and apply' }).click();
  await expect(page.getByText('Saved "Engineers": 1 granted, 2 revoked.')).toBeVisible();
  await page.goto(`/admin/accounts/${eng1!.id}`);
  await expect(rolesCard(page).getByText('No roles', { exact: true })).toBeVisible();
  await page.goto(`/admin/accounts/${sales1!.id}`);
  await expect(rolesCard(page).getByRole('row', { name: /engineering/ })).toContainText('Engineers');
  // The role's page says who holds it and how.
  await page.goto('/admin/roles/engineering');
  await expectConsolePage(page, 'Engineering', 'Roles');
  await expect(page.getByRole('table', { name: 'Holders' }).getByRole('row', { name: new RegExp(sales1!.userName) })).toContainText('Rule · Engineers');
  await reviewPage(page, 'role-holders', () => expect(page.getByRole('table', { name: 'Holders' })).toBeVisible());

  // Past the mass-change limit: disabling asks for the number of accounts typed.
  await setMassChangeLimit(tenant, 0);
  await page.goto('/admin/rules');
  await reviewPage(page, 'rules', () => expect(page.getByRole('table', { name: 'Rules' })).toBeVisible());
  await page.getByRole('table', { name: 'Rules' }).getByRole('button', { name: 'Disable' }).click();
  const disable = page.getByRole('dialog', { name: 'Disable the rule?' });
  await expect(disable.getByTestId('rule-over-limit')).toContainText('more than the organization’s limit of 0');
  await disable.getByLabel('Type 1 to confirm').fill('2');
  await disable.getByRole('button', { name: 'Disable and apply' }).click();
  await expect(disable.getByRole('alert')).toContainText('type 1 to confirm (2 was typed)');
  await disable.getByLabel('Type 1 to confirm').fill('1');
  await disable.getByRole('button', { name: 'Disable and apply' }).click();
  await expect(page.getByText('Saved "Engineers": 0 granted, 1 revoked.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Rules' }).getByRole('row', { name: /Engineers/ })).toContainText('disabled');
});

test('an auditor sees the rules but no buttons that change them', async ({ page, context }) => {
  await tenant.signIn(context, 'auditor');
  await page.goto('/admin/rules');
  await expectConsolePage(page, 'Birthright rules', 'Rules');
  await expect(page.getByRole('table', { name: 'Rules' })).toContainText('Engineers');
  for (const name of ['New rule', 'Edit Engineers']) await expect(page.getByRole('link', { name })).toHaveCount(0);
  for (const name of ['Disable', 'Enable']) await expect(page.getByRole('button', { name })).toHaveCount(0);
  await page.getByRole('link', { name: 'Engineers', exact: true }).click();
  await expect(ruleForm(page).getByLabel('Name')).toBeDisabled();
  for (const name of ['Preview', 'Save rule', 'Delete']) await expect(page.getByRole('button', { name })).toHaveCount(0);
  await reviewPage(page, 'rule-auditor', () => expect(ruleForm(page)).toBeVisible());
});

test('roles and groups: an admin grants a role by hand for a week and revokes it; groups sign-ins carried are listed with their accounts', async ({ page, context }) => {
  const [eng1] = seeded.eng!;
  await setLoginGroups(tenant, eng1!.id, ['eng-all', 'oncall']);
  await tenant.signIn(context, 'admin');
  await page.goto('/admin/roles');
  await expectConsolePage(page, 'Roles', 'Roles');
  await expect(page.getByRole('table', { name: 'Roles' }).getByRole('row', { name: /Engineering/ })).toContainText('rule Engineers');
  await reviewPage(page, 'roles', () => expect(page.getByRole('table', { name: 'Roles' })).toBeVisible());
  await page.getByRole('link', { name: 'Sales', exact: true }).click();
  await expectConsolePage(page, 'Sales', 'Roles');
  await page.getByRole('button', { name: 'Grant' }).click();
  const grant = page.getByRole('dialog', { name: 'Grant Sales' });
  await grant.getByLabel('Account (user name)').fill(eng1!.userName);
  await grant.getByLabel('Ends after (optional)').fill('soon');
  await grant.getByRole('button', { name: 'Grant', exact: true }).click();
  await expect(grant.getByLabel('Ends after (optional)')).toHaveAccessibleDescription(/Ends after takes a whole number and a unit/);
  await grant.getByLabel('Ends after (optional)').fill('7d');
  await grant.getByRole('button', { name: 'Grant', exact: true }).click();
  await expect(page.getByText(`Granted Sales to ${eng1!.userName} until`)).toBeVisible();
  const holder = page.getByRole('table', { name: 'Holders' }).getByRole('row', { name: new RegExp(eng1!.userName) });
  await expect(holder).toContainText('By hand');
  await expect(holder).not.toContainText('Never');
  await holder.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog', { name: `Revoke Sales from ${eng1!.userName}?` }).getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByText(`Revoked Sales from ${eng1!.userName}.`)).toBeVisible();
  await expect(page.getByText('Nobody holds Sales', { exact: true })).toBeVisible();

  await page.goto('/admin/groups');
  await expectConsolePage(page, 'Groups', 'Groups');
  await expect(page.getByText('No SCIM groups', { exact: true })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Sign-in groups' }).getByRole('row', { name: /eng-all/ })).toContainText('1');
  await reviewPage(page, 'groups', () => expect(page.getByRole('table', { name: 'Sign-in groups' })).toBeVisible());
  await page.getByRole('link', { name: 'oncall' }).click();
  await expectConsolePage(page, 'oncall', 'Groups');
  await expect(page.getByRole('table', { name: 'Members' }).getByRole('link', { name: eng1!.userName })).toHaveAttribute('href', `/admin/accounts/${eng1!.id}`);
  // The account page links its groups here.
  await page.goto(`/admin/accounts/${eng1!.id}`);
  await expect(page.getByRole('link', { name: 'eng-all' })).toHaveAttribute('href', '/admin/groups/sign-in/eng-all');
});
