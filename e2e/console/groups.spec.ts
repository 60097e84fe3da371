import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';
import { expectConsolePage, reviewPage } from '../fixtures/console-page';
import { rosterCli } from '../fixtures/roster-cli';
import { setLoginGroups } from '../fixtures/rules';
import { ScimClient } from '../fixtures/scim-client';

/**
 * The groups pages' Role card. The IdP pushes two people and a group Platform with both over the
 * real SCIM API; one of them and a member who signs in also carried the sign-in group "oncall". The admin maps Platform to
 * Engineering (preview: 2 gain; confirmation with the counts), sees the role on a member's account
 * page, then maps the sign-in group to Sales (a birthright rule); the auditor only reads.
 */
let tenant: ConsoleTenant;
let groupId: string;
let members: { id: string; userName: string }[];
let carrier: { id: string; userName: string };
test.beforeAll(async () => {
  tenant = await createConsoleTenant();
  const { token, baseUrl } = (await rosterCli('scim-token', 'create', '--org', tenant.slug, '--name', 'groups e2e', '--connection', tenant.connectionId)) as { token: string; baseUrl: string };
  const scim = new ScimClient(baseUrl, token);
  members = [];
  for (const name of ['ann', 'ben']) {
    const userName = `${name}-${tenant.slug}@console.test`;
    const made = await scim.createUser({ userName, email: userName, givenName: name, familyName: 'Groups' });
    expect(made.status).toBe(201);
    members.push({ id: made.body.id, userName });
  }
  const group = await scim.send<{ id: string }>('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Platform', members: members.map((m) => ({ value: m.id })) });
  expect(group.status).toBe(201);
  groupId = group.body.id;
  // Both carried "oncall" at sign-in; ann's groups are SCIM's now (it sent her memberships), so a rule judges her by those.
  await setLoginGroups(tenant, members[0]!.id, ['oncall']);
  const member = await tenant.makeMember();
  carrier = { id: member.account.id, userName: member.account.userName };
  await setLoginGroups(tenant, carrier.id, ['oncall']);
});
test.afterAll(() => tenant.close());
test.describe.configure({ mode: 'serial' });

const card = (page: Page) => page.getByTestId('group-role-card');
const count = (page: Page, which: 'gain' | 'lose') => page.getByTestId('group-role-preview').first().locator(`[data-count="${which}"] dd`);
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

test('an admin maps a SCIM group to a role, sees the preview, saves it, and sees the role on a member; then maps a sign-in group', async ({ page, context }) => {
  test.slow();
  const [ann, ben] = members;
  await tenant.signIn(context, 'admin');
  await page.goto(`/admin/groups/${groupId}`);
  await expectConsolePage(page, 'Platform', 'Groups');
  await expect(card(page).getByTestId('group-role-current')).toHaveText('No role');
  await reviewPage(page, 'group-scim', () => expect(card(page).getByLabel('Role for this group')).toBeVisible());

  const form = page.getByRole('form', { name: 'Group role' });
  await form.getByLabel('Role for this group').selectOption('engineering');
  await form.getByRole('button', { name: 'Preview' }).click();
  await expect(count(page, 'gain')).toHaveText('2');
  await expect(count(page, 'lose')).toHaveText('0');
  const gain = page.getByRole('table', { name: 'Would gain' });
  await expect(gain.getByRole('link', { name: ann!.userName })).toHaveAttribute('href', `/admin/accounts/${ann!.id}`);
  await expect(gain).toContainText(ben!.userName);
  await shoot(page, 'group-role-preview');

  await form.getByRole('button', { name: 'Save' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save the group’s role?' });
  await expect(dialog).toContainText('Platform gives Engineering from now on: 2 account(s) gain Engineering, at once.');
  await shoot(page, 'group-role-confirm');
  await dialog.getByRole('button', { name: 'Save and apply' }).click();
  await expect(page.getByText('Platform now gives Engineering: 2 granted, 0 revoked.')).toBeVisible();
  await expect(card(page).getByTestId('group-role-current')).toHaveText('Engineering (engineering)');

  await page.goto(`/admin/accounts/${ann!.id}`);
  await expect(rolesCard(page).getByRole('row', { name: /engineering/ })).toContainText('Group');

  // A sign-in group's role is a birthright rule, made through the same card.
  await page.goto('/admin/groups/sign-in/oncall');
  await expectConsolePage(page, 'oncall', 'Groups');
  await form.getByLabel('Role for this group').selectOption('sales');
  await form.getByRole('button', { name: 'Save' }).click();
  const signIn = page.getByRole('dialog', { name: 'Save the group’s role?' });
  await expect(signIn).toContainText('oncall gives Sales from now on: 1 account(s) gain Sales, at once.');
  await expect(signIn).toContainText('Saving creates the birthright rule “Sign-in group: oncall”.');
  await signIn.getByRole('button', { name: 'Save and apply' }).click();
  await expect(page.getByText('oncall now gives Sales: 1 granted, 0 revoked.')).toBeVisible();
  await expect(card(page).getByRole('link', { name: 'Sign-in group: oncall' })).toBeVisible();
  await reviewPage(page, 'group-sign-in', () => expect(card(page).getByTestId('group-role-current')).toHaveText('Sales (sales)'));
  await page.goto(`/admin/accounts/${carrier.id}`);
  await expect(rolesCard(page).getByRole('row', { name: /sales/ })).toContainText('Sign-in group: oncall');
});

test('an auditor sees the role a group gives, read-only', async ({ page, context }) => {
  test.slow();
  await tenant.signIn(context, 'auditor');
  await page.goto(`/admin/groups/${groupId}`);
  await expect(card(page).getByTestId('group-role-current')).toHaveText('Engineering (engineering)');
  await expect(card(page)).toContainText('Only an administrator can change it.');
  for (const name of ['Preview', 'Save']) await expect(page.getByRole('button', { name })).toHaveCount(0);
  await reviewPage(page, 'group-auditor', () => expect(card(page)).toBeVisible());
});
