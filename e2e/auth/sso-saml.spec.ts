import { expect, test } from '../fixtures';

/**
 * SAML 2.0 through the demo SAML IdP (lib/demo-idp/saml, samlify): SP-initiated, HTTP-Redirect
 * AuthnRequest, signed response auto-posted to the ACS. Dave is a user no other spec changes.
 */
test.describe.configure({ mode: 'serial' });

const signInUrl = () => `/sso/${process.env.E2E_SAML_CONNECTION_ID}?returnTo=/me`;

test('an SP-initiated SAML sign-in creates the account just in time and lands on My access', async ({ page, loginPage, myAccess }) => {
  await page.goto(signInUrl());
  await page.waitForURL((url) => url.origin === process.env.E2E_SAML_IDP_URL && url.pathname === '/saml/sso');
  await expect(page.getByRole('heading', { name: 'Acme Demo SAML IdP' })).toBeVisible();
  await page.screenshot({ path: '.roster/test-results/saml-idp-login.png', fullPage: true });
  await loginPage.signInAtSamlIdp('dave', 'demo');

  await myAccess.expectLoaded('Dave Diaz');
  await expect(myAccess.field('Email')).toHaveText('dave@acme.test');
  await expect(myAccess.field('Department')).toHaveText('Finance');
  await expect(myAccess.field('Title')).toHaveText('Analyst');
  expect(await myAccess.roleKeys()).toEqual(['finance', 'member']);
  await expect(myAccess.identities).toHaveCount(1);
  await expect(myAccess.identities).toContainText('Acme Demo SAML');
  await expect(myAccess.recentSignIns.first()).toContainText('SAML');
  await page.screenshot({ path: '.roster/test-results/my-access-saml.png', fullPage: true });
});

test('a SAML response posted to the ACS a second time is refused as a replay', async ({ page, loginPage, myAccess, samlAcs }) => {
  const captured = samlAcs.captureNextResponse();
  await page.goto(signInUrl());
  await loginPage.signInAtSamlIdp('dave', 'demo');
  const samlResponse = await captured;
  // The first post signs Dave in again (his existing account, found by the persistent NameID).
  await myAccess.expectLoaded('Dave Diaz');

  await samlAcs.post(samlResponse);
  await page.waitForURL('**/login/error**');
  await expect(page.locator('[data-reason]')).toHaveAttribute('data-reason', 'saml_replay');
  await expect(page.locator('[data-reason]')).toHaveText('This sign-in response has already been used. Please sign in again.');
});
