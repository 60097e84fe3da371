import { expect, test } from '../fixtures';
import { rosterCli } from '../fixtures/roster-cli';

test('suspending an account ends its live session at once; the next sign-in is refused until it is restored', async ({ page, loginPage, myAccess }) => {
  await loginPage.goto();
  await loginPage.continueWithEmail('erin@acme.test');
  await loginPage.signInAtIdp('erin', 'demo');
  await myAccess.expectLoaded('Erin Evans');

  const suspended = await rosterCli('account', 'suspend', '--org', 'acme', '--user', 'erin@acme.test', '--reason', 'e2e');
  expect(suspended).toMatchObject({ status: 'suspended', changed: true, sessionsRevoked: 1 });

  // The cookie is still in the browser, but the session row behind it is revoked.
  await page.goto('/me');
  await page.waitForURL('**/login?returnTo=%2Fme');

  // The IdP still signs Erin in; Roster refuses the suspended account with a clear page.
  await loginPage.continueWithEmail('erin@acme.test');
  await page.waitForURL('**/login/error**');
  await expect(page.locator('[data-reason]')).toHaveAttribute('data-reason', 'account_suspended');

  await rosterCli('account', 'restore', '--org', 'acme', '--user', 'erin@acme.test');
  await loginPage.goto();
  await loginPage.continueWithEmail('erin@acme.test');
  await myAccess.expectLoaded('Erin Evans');
});
