import { randomBytes } from 'node:crypto';
import { expect, test } from '../fixtures';
import { createSamlTenant, type SamlTenant } from '../fixtures/saml-tenant';

/**
 * The browserless SAML sign-in (e2e/fixtures/saml-http-login.ts) against both app instances of
 * the run: each signs in through its own ACS, a session issued by one is good on the other (same
 * secrets, same database), and a refusal comes back as /login/error's reason.
 */
const DOMAIN = 'http-login.test';
const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';

let tenant: SamlTenant;
test.beforeAll(async () => {
  tenant = await createSamlTenant({ slugPrefix: 'http-login', domain: DOMAIN });
});

const person = (email: string) => ({
  nameId: `http-${randomBytes(6).toString('hex')}`,
  nameIdFormat: PERSISTENT,
  attributes: { email, givenName: 'Http', surname: email.slice(0, email.indexOf('@')) },
});

test('a SAML sign-in over HTTP works at either instance, and the session is good at both', async () => {
  const instances = [process.env.E2E_APP_URL!, process.env.E2E_APP2_URL!];
  for (const [i, appUrl] of instances.entries()) {
    const outcome = await tenant.saml.signIn(appUrl, person(`p${i}@${DOMAIN}`));
    if (outcome.kind !== 'signed-in') throw new Error(`refused at ${appUrl}: ${outcome.reason}`);
    expect(outcome.location.href).toBe(`${appUrl}/me`);
    for (const other of instances) {
      const me = await fetch(`${other}/me`, { headers: outcome.cookies.headers(), redirect: 'manual' });
      expect(me.status, `${other}/me with the session from ${appUrl}`).toBe(200);
      expect(await me.text()).toContain(`Http p${i}`);
    }
  }
});

test('a refused SAML sign-in over HTTP answers with the reason', async () => {
  const outcome = await tenant.saml.signIn(process.env.E2E_APP2_URL!, person('someone@elsewhere.test'));
  expect(outcome).toMatchObject({ kind: 'refused', reason: 'domain_not_allowed' });
});
