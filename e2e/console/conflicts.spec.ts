import { expect, test } from '../fixtures';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';
import { expectConsolePage, reviewPage } from '../fixtures/console-page';
import { accountOfSubject, seedDepartmentAccounts, seedLoginConflict, type Seeded } from '../fixtures/rules';

/**
 * The link-conflicts page. The tenant: two accounts a sign-in (subject sub-pat) could be, held as a
 * conflict, and a second conflict. The admin links the first to one candidate (the identity is then
 * that account's) and keeps the second apart; both move to the decided list. The auditor only reads.
 */
let tenant: ConsoleTenant;
let people: Seeded[];
test.beforeAll(async () => {
  tenant = await createConsoleTenant();
  people = (await seedDepartmentAccounts(tenant, [{ prefix: 'pat', department: 'Support', n: 2 }])).pat!;
  await seedLoginConflict(tenant, 'sub-pat', people[0]!.userName, people.map((p) => p.id));
  await seedLoginConflict(tenant, 'sub-other', 'someone@console.test', people.map((p) => p.id));
});
test.afterAll(() => tenant.close());
test.describe.configure({ mode: 'serial' });

test('an auditor sees the queue, with no decisions to make', async ({ page, context }) => {
  await tenant.signIn(context, 'auditor');
  await page.goto('/admin/conflicts');
  await expectConsolePage(page, 'Link conflicts', 'Link conflicts');
  await expect(page.getByRole('table', { name: `Candidates for ${people[0]!.userName}` })).toBeVisible();
  for (const name of ['Keep apart', 'Link to this account']) await expect(page.getByRole('button', { name })).toHaveCount(0);
});

test('an admin resolves a conflict: links one identity to a candidate, keeps another apart', async ({ page, context }) => {
  const [pat1, pat2] = people;
  await tenant.signIn(context, 'admin');
  await page.goto('/admin/conflicts');
  await expectConsolePage(page, 'Link conflicts', 'Link conflicts');
  const first = page.getByRole('region', { name: `Conflict: ${pat1!.userName}` });
  await expect(first).toContainText('A sign-in through Console IdP as');
  await expect(first).toContainText('sub-pat');
  const candidates = first.getByRole('table', { name: `Candidates for ${pat1!.userName}` });
  await expect(candidates.getByRole('row', { name: new RegExp(pat1!.userName) })).toContainText('same user name');
  await expect(candidates.getByRole('row')).toHaveCount(3);
  await reviewPage(page, 'conflicts', () => expect(candidates).toBeVisible());

  expect(await accountOfSubject(tenant, 'sub-pat')).toBeNull();
  await candidates.getByRole('row', { name: new RegExp(pat2!.userName) }).getByRole('button', { name: 'Link to this account' }).click();
  const dialog = page.getByRole('dialog', { name: `Link to ${pat2!.userName}?` });
  await expect(dialog).toContainText('Its next sign-in is that account’s.');
  await dialog.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(page.getByText('Linked: the sign-in belongs to that account now.')).toBeVisible();
  expect(await accountOfSubject(tenant, 'sub-pat')).toBe(pat2!.id);

  const second = page.getByRole('region', { name: 'Conflict: someone@console.test' });
  await second.getByRole('button', { name: 'Keep apart' }).click();
  await page.getByRole('dialog', { name: 'Keep it apart?' }).getByRole('button', { name: 'Keep apart' }).click();
  await expect(page.getByText('Kept apart: the sign-in will get an account of its own.')).toBeVisible();
  await expect(page.getByText('No open link conflicts', { exact: true })).toBeVisible();
  const decided = page.getByRole('table', { name: 'Decided conflicts' });
  await expect(decided.getByRole('row', { name: new RegExp(`as ${pat1!.userName}`) })).toContainText(`Linked to ${pat2!.userName}`);
  await expect(decided.getByRole('row', { name: /someone@console\.test/ })).toContainText('Kept apart');
  await reviewPage(page, 'conflicts-decided', () => expect(decided).toBeVisible());
});
