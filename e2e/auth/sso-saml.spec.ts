import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { LoginPage } from '../fixtures/login-page';
import { MyAccessPage } from '../fixtures/my-access-page';
import { rosterCli } from '../fixtures/roster-cli';
import { SamlAcs } from '../fixtures/saml-acs';

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

/** Another site than Roster's (127.0.0.1): Playwright serves its pages, so no DNS is involved. */
const ATTACKER_SITE = 'http://attacker.test';

/** The attacker's page: it auto-posts a SAMLResponse to Roster's ACS as soon as it loads. */
async function serveAutoPost(page: Page, acsUrl: string, samlResponse: string) {
  const html = `<!DOCTYPE html><form method="post" action="${acsUrl}"><input type="hidden" name="SAMLResponse" value="${samlResponse}"></form><script>document.forms[0].submit()</script>`;
  await page.route(`${ATTACKER_SITE}/**`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
}

test('login CSRF: the attacker’s own SAML response, auto-posted from another site, signs no one else in', async ({ browser, page, samlAcs }) => {
  // The attacker signs in as themselves (Dave) in their own browser, and keeps the response instead of posting it.
  const attackerContext = await browser.newContext();
  const attacker = await attackerContext.newPage();
  const heldBack = await new SamlAcs(attacker).holdBackNextResponse();
  await attacker.goto(signInUrl());
  await new LoginPage(attacker).signInAtSamlIdp('dave', 'demo');
  const samlResponse = await heldBack();
  expect(samlResponse).not.toBe('');

  // The victim, who never started a sign-in, opens the attacker's page.
  await serveAutoPost(page, samlAcs.url, samlResponse);
  await page.goto(`${ATTACKER_SITE}/prize`);
  await page.waitForURL('**/login/error**');
  await expect(page.locator('[data-reason]')).toHaveAttribute('data-reason', 'saml_session_mismatch');
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain('next-auth.session-token');
  const [refusal] = (await rosterCli('audit', 'list', '--org', 'acme', '--action', 'login.rejected', '--limit', '1')) as { data: { reason: string } }[];
  expect(refusal!.data.reason).toBe('saml_session_mismatch');

  // The same response, posted cross-site into the browser that started its sign-in, is accepted: over
  // http its SameSite=Lax cookie comes along through the ACS's same-site hop. (The refusal above used nothing up.)
  await serveAutoPost(attacker, samlAcs.url, samlResponse);
  await attacker.goto(`${ATTACKER_SITE}/prize`);
  await new MyAccessPage(attacker).expectLoaded('Dave Diaz');
  await attackerContext.close();
});
