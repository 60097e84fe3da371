import { expect, test } from '../fixtures';
import { rosterCli } from '../fixtures/roster-cli';

const SCIM_JSON = 'application/scim+json';
type Created = { id: string; meta: { location: string; version: string }; active: boolean };

test('an IdP provisions over SCIM, the person signs in by SSO into the same account, and deactivation ends the session', async ({ page, request, loginPage, myAccess }) => {
  const { token, baseUrl, id: tokenId } = (await rosterCli('scim-token', 'create', '--org', 'acme', '--name', 'e2e')) as { token: string; baseUrl: string; id: string };
  expect(baseUrl).toBe(`${process.env.E2E_APP_URL}/api/scim/v2`);
  const auth = { authorization: `Bearer ${token}`, 'content-type': SCIM_JSON };

  const anonymous = await request.get(`${baseUrl}/Users`);
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });

  // Joiner, as Entra ID sends it (to the URL with its flag).
  const created = await request.post(`${baseUrl}/Users?aadOptscim062020`, {
    headers: auth,
    data: {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      externalId: 'frank-entra-object-id',
      userName: 'frank@acme.test',
      active: true,
      name: { givenName: 'Frank', familyName: 'Fischer' },
      emails: [{ primary: true, type: 'work', value: 'frank@acme.test' }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Support' },
    },
  });
  expect(created.status()).toBe(201);
  expect(created.headers()['content-type']).toContain(SCIM_JSON);
  const user = (await created.json()) as Created;
  expect(created.headers()['location']).toBe(user.meta.location);

  const found = await request.get(`${baseUrl}/Users?filter=${encodeURIComponent('userName eq "Frank@acme.test"')}`, { headers: auth });
  expect(await found.json()).toMatchObject({ totalResults: 1, Resources: [{ id: user.id }] });

  // First SSO sign-in links to the SCIM-created account instead of creating a second one.
  await loginPage.goto();
  await loginPage.continueWithEmail('frank@acme.test');
  await loginPage.signInAtIdp('frank', 'demo');
  await myAccess.expectLoaded('Frank Fischer');
  const listed = (await rosterCli('accounts', 'list', '--org', 'acme', '--search', 'frank')) as { accounts: { id: string; source: string }[] };
  expect(listed.accounts).toEqual([expect.objectContaining({ id: user.id, source: 'scim' })]);

  // Leaver: Entra's PATCH (capitalised op, boolean as a string) suspends and ends the live session.
  const deactivated = await request.patch(`${baseUrl}/Users/${user.id}`, {
    headers: auth,
    data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] },
  });
  expect(deactivated.status()).toBe(200);
  expect(((await deactivated.json()) as Created).active).toBe(false);
  await page.goto('/me');
  await page.waitForURL('**/login?returnTo=%2Fme');

  // Leave the shared demo tenant as it was: Frank's account goes (deprovisioned), and the token.
  expect((await request.delete(`${baseUrl}/Users/${user.id}`, { headers: auth })).status()).toBe(204);
  await rosterCli('scim-token', 'revoke', '--org', 'acme', '--id', tokenId);
});
