import { randomUUID } from 'node:crypto';
import { expect, test } from '../fixtures';
import { rosterCli } from '../fixtures/roster-cli';

/**
 * OIDC sign-ins next-auth fails before Roster sees an identity, through the real demo IdP
 * (oidc-provider) and real HTTP: each lands on Roster's error page with its reason and in the
 * audit trail of the connection's organization (or the deployment's, for no connection).
 */
type Refusal = { action: string; targetId: string; data: { reason: string; detail: string | null; connectionId: string; protocol: string } };
const connectionId = () => process.env.E2E_CONNECTION_ID!;
const refusals = async (...scope: string[]) => (await rosterCli('audit', 'list', ...scope, '--action', 'login.rejected', '--limit', '20')) as Refusal[];

test('a sign-in cancelled at the IdP (error=access_denied) gets a clear page and is audited in the organization', async ({ page }) => {
  await page.goto(`/sso/${connectionId()}`);
  await page.waitForURL((url) => url.origin === process.env.E2E_IDP_URL);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForURL('**/login/error**');
  await expect(page.locator('[data-reason]')).toHaveAttribute('data-reason', 'oidc_error');
  await expect(page.locator('[data-reason]')).toContainText('Your identity provider did not sign you in');

  const [latest] = await refusals('--org', 'acme');
  expect(latest).toMatchObject({
    targetId: connectionId(),
    data: { reason: 'oidc_error', protocol: 'oidc', connectionId: connectionId(), detail: 'the IdP answered error=access_denied: The user cancelled the sign-in.' },
  });
});

test('a callback this browser never started (forged or stolen code and state) is refused and audited, without the code', async ({ request }) => {
  const code = `stolen-${randomUUID()}`;
  const res = await request.get(`/api/auth/callback/${connectionId()}?code=${code}&state=forged`, { maxRedirects: 0 });
  expect([res.status(), res.headers().location]).toEqual([303, `${process.env.E2E_APP_URL}/login/error?reason=protocol_error`]);

  const [latest] = await refusals('--org', 'acme');
  expect(latest).toMatchObject({ targetId: connectionId(), data: { reason: 'protocol_error', protocol: 'oidc' } });
  expect(latest!.data.detail).toMatch(/^OAuthCallback: .*cookie was missing/);
  expect(JSON.stringify(latest)).not.toContain(code);
});

test('a callback for a connection that does not exist is refused and kept in the deployment’s trail', async ({ request }) => {
  const missing = randomUUID();
  const res = await request.get(`/api/auth/callback/${missing}?code=x&state=y`, { maxRedirects: 0 });
  expect([res.status(), res.headers().location]).toEqual([303, `${process.env.E2E_APP_URL}/login/error?reason=unknown_connection`]);
  expect(await refusals('--deployment')).toContainEqual(
    expect.objectContaining({ targetId: missing, data: expect.objectContaining({ reason: 'unknown_connection', protocol: 'oidc' }) }),
  );
  expect((await refusals('--org', 'acme')).map((e) => e.targetId)).not.toContain(missing);
});
