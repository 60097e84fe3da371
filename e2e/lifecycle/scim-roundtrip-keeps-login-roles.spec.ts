import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import { expect, test } from '../fixtures';
import { insertGroupRule, isScimManaged, openE2eDb, roleAssignmentsOf } from '../fixtures/e2e-db';
import { createSamlTenant, type SamlTenant } from '../fixtures/saml-tenant';

/**
 * A JIT account whose admin role comes from its login's groups (an attribute rule on `groups`),
 * then SCIM PATCHes of only `active` (false, then true), then a new sign-in carrying the same
 * groups: the account must still hold the role. Everything through the real doors (SAML ACS, SCIM)
 * of the spec's own organization; the rule is the only row written directly (the CLI makes none).
 */
const DOMAIN = 'roundtrip.test';
const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
const ADMINS = 'roster-admins';

let tenant: SamlTenant;
let sql: postgres.Sql;

test.beforeAll(async () => {
  tenant = await createSamlTenant({ slugPrefix: 'roundtrip', domain: DOMAIN });
  sql = openE2eDb();
  await insertGroupRule(sql, tenant.organizationId, { roleKey: 'admin', group: ADMINS });
});
test.afterAll(async () => sql?.end({ timeout: 5 }));

test('SCIM deactivating and reactivating a JIT account keeps the role its login groups grant', async () => {
  const appUrl = process.env.E2E_APP_URL!;
  const subject = `rt-${randomBytes(6).toString('hex')}`;
  const userName = `${subject}@${DOMAIN}`;
  const user = {
    nameId: subject,
    nameIdFormat: PERSISTENT,
    attributes: { email: userName, username: userName, givenName: 'Round', surname: 'Trip', groups: ['staff', ADMINS] },
  };
  const roles = async (accountId: string) => (await roleAssignmentsOf(sql, tenant.organizationId, accountId)).map((r) => `${r.role} (${r.source})`);

  const first = await tenant.saml.signIn(appUrl, user);
  expect(first).toMatchObject({ kind: 'signed-in' });
  const account = await tenant.scim.findByUserName(userName);
  expect(account, 'SCIM GET filter userName eq finds the JIT account').not.toBeNull();
  const id = account!.id;
  const granted = await roles(id);
  expect(granted, 'the first sign-in grants admin from the login groups').toEqual(['admin (birthright)']);

  const deactivated = await tenant.scim.setActive(id, false);
  expect(deactivated.status).toBe(200);
  expect(deactivated.body.active).toBe(false);
  const reactivated = await tenant.scim.setActive(id, true);
  expect(reactivated.status).toBe(200);
  expect(reactivated.body.active).toBe(true);
  const afterPatches = await roles(id);
  const managed = await isScimManaged(sql, tenant.organizationId, id);

  const again = await tenant.saml.signIn(appUrl, user);
  expect(again, 'the reactivated account signs in').toMatchObject({ kind: 'signed-in' });
  const afterSignIn = await roles(id);
  const story = `after the PATCHes: [${afterPatches.join(', ')}], SCIM-managed: ${managed}; after the new sign-in: [${afterSignIn.join(', ')}]`;
  test.info().annotations.push({ type: 'roles', description: story });
  expect(afterSignIn, story).toEqual(['admin (birthright)']);
});
