import { expect, test, updateIdpUser } from '../fixtures';

test.describe.configure({ mode: 'serial' });

// The mover test changes Alice at the shared demo IdP: put her back for the specs after it.
test.afterAll(() => updateIdpUser('alice', { department: 'Engineering', title: 'Staff Engineer' }));

test('a first OIDC sign-in creates the account just in time; the admin sees it; a mover changes roles', async ({ page, loginPage, myAccess, accountsPage }) => {
  await loginPage.goto();
  await loginPage.continueWithEmail('alice@acme.test');
  await loginPage.signInAtIdp('alice', 'demo');

  await myAccess.expectLoaded('Alice Anders');
  await expect(myAccess.field('Department')).toHaveText('Engineering');
  expect(await myAccess.roleKeys()).toEqual(['admin', 'engineering', 'member']);
  await page.screenshot({ path: '.roster/test-results/my-access.png', fullPage: true });

  await accountsPage.goto();
  const row = accountsPage.row('alice@acme.test');
  await expect(row).toContainText('Engineering');
  await expect(row).toContainText('active');
  await expect(row.locator('[data-source]')).toHaveAttribute('data-source', 'jit');
  await expect(row).toContainText('Sign-in (JIT)');
  await page.screenshot({ path: '.roster/test-results/accounts.png', fullPage: true });

  // HR moves Alice to Sales at the IdP; her next sign-in updates the account and its roles.
  await updateIdpUser('alice', { department: 'Sales', title: 'Sales Engineer' });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');
  await loginPage.continueWithEmail('alice@acme.test');
  // The IdP still has Alice's session, so it returns straight to Roster.
  await myAccess.expectLoaded('Alice Anders');
  await expect(myAccess.field('Department')).toHaveText('Sales');
  await expect(myAccess.field('Title')).toHaveText('Sales Engineer');
  expect(await myAccess.roleKeys()).toEqual(['admin', 'member', 'sales']);

  await accountsPage.goto('alice');
  await expect(accountsPage.row('alice@acme.test')).toContainText('Sales');
});

test('a person without the admin role is kept out of the admin pages', async ({ page, loginPage, myAccess }) => {
  await loginPage.goto('/admin/accounts');
  await loginPage.continueWithEmail('bob@acme.test');
  const answered = page.waitForResponse((r) => r.url().endsWith('/admin/accounts') && r.request().method() === 'GET');
  await loginPage.signInAtIdp('bob', 'demo');
  // The console answers 403 itself (forbidden()), at the URL asked for.
  expect((await answered).status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'You don’t have access to this page' })).toBeVisible();
  await page.goto('/me');
  await myAccess.expectLoaded('Bob Baker');
  expect(await myAccess.roleKeys()).toEqual(['member', 'sales']);
});

test('a sign-in whose email domain the connection does not allow is refused with a clear page', async ({ page, loginPage }) => {
  await updateIdpUser('carol', { email: 'carol@elsewhere.test' });
  await page.goto(`/sso/${process.env.E2E_CONNECTION_ID}`);
  await loginPage.signInAtIdp('carol', 'demo');
  await page.waitForURL('**/login/error**');
  await expect(page.locator('[data-reason]')).toHaveText('Your email domain is not allowed to sign in through this identity provider.');
  await expect(page.locator('[data-reason]')).toHaveAttribute('data-reason', 'domain_not_allowed');
  await expect(page.getByRole('heading', { name: 'We couldn’t sign you in' })).toBeVisible();
  await page.screenshot({ path: '.roster/test-results/login-error.png' });
});
