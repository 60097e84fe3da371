import { randomBytes } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { findBirthrightPolicy } from '@/db/queries/attribute-rules';
import { getConnectionById, getConnectionSecret, updateConnection } from '@/db/queries/connections';
import { findRoles } from '@/db/queries/roles';
import { decryptSecret } from '@/lib/crypto/secret-box';
import { readSamlConfig } from '@/lib/saml/config';
import { generateSigningKey } from '@/lib/saml/testing/keys';
import { TestIdp } from '@/lib/saml/testing/test-idp';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { seedDemo } from './seed';

const encryptionKey = randomBytes(32).toString('base64');
const options = (issuer: string, clientSecret: string) => ({ issuer, clientId: 'roster-demo', clientSecret, appUrl: 'http://localhost:3000/', encryptionKey });

afterAll(closeTestDb);

test('seedDemo is idempotent and re-points the connection at the current IdP', async () => {
  const db = testDb();
  const [first, concurrent] = await Promise.all([
    seedDemo(db, options('http://127.0.0.1:4001', 'secret-one')),
    seedDemo(db, options('http://127.0.0.1:4001', 'secret-one')),
  ]);
  expect([first.created, concurrent.created].filter(Boolean)).toHaveLength(1);
  expect(concurrent.connectionId).toBe(first.connectionId);
  expect(first.redirectUri).toBe(`http://localhost:3000/api/auth/callback/${first.connectionId}`);
  expect(first.samlConnectionId).toBeNull();

  const again = await seedDemo(db, options('http://127.0.0.1:4002', 'secret-two'));
  expect(again).toMatchObject({ created: false, connectionId: first.connectionId, organizationId: first.organizationId });

  const connection = await getConnectionById(db, first.connectionId);
  expect(connection).toMatchObject({ issuer: 'http://127.0.0.1:4002', clientId: 'roster-demo', allowedDomains: ['acme.test'], defaultRoles: ['member'] });
  const sealed = await getConnectionSecret(db, first.organizationId, first.connectionId);
  expect(decryptSecret(sealed!, encryptionKey)).toBe('secret-two');

  const roles = await findRoles(db, first.organizationId);
  expect(roles.map((r) => r.key)).toEqual(['admin', 'engineering', 'finance', 'member', 'sales']);
  const { rules, defaults } = await findBirthrightPolicy(db, first.organizationId, first.connectionId, ['member']);
  expect(rules).toHaveLength(4);
  expect(defaults.map((r) => r.key)).toEqual(['member']);
  const adminRole = roles.find((r) => r.key === 'admin')!;
  expect(rules.find((r) => r.roleId === adminRole.id)?.conditions).toEqual({
    match: 'all',
    conditions: [{ attribute: 'groups', op: 'eq', value: 'roster-admins' }],
  });
});

test('seedDemo with SAML metadata creates "Acme Demo SAML" once and re-points it at the IdP’s new key', async () => {
  const db = testDb();
  const samlIdp = async (port: number) => {
    const base = `http://127.0.0.1:${port}`;
    return new TestIdp(`${base}/saml/metadata`, `${base}/saml/sso`, await generateSigningKey());
  };
  const first = await samlIdp(4101);
  const seeded = await seedDemo(db, { ...options('http://127.0.0.1:4001', 'secret-one'), saml: { metadataXml: first.metadataXml() } });
  expect(seeded.samlConnectionId).toEqual(expect.any(String));
  expect(seeded.samlConnectionId).not.toBe(seeded.connectionId);

  const created = await getConnectionById(db, seeded.samlConnectionId!);
  expect(created).toMatchObject({ name: 'Acme Demo SAML', protocol: 'saml', organizationId: seeded.organizationId, allowedDomains: ['acme.test'], defaultRoles: ['member'] });
  const config = readSamlConfig(created!.samlConfig)!;
  expect(config).toMatchObject({ idpEntityId: first.entityId, ssoUrl: first.ssoUrl, ssoBinding: 'redirect', wantAssertionsSigned: true });
  expect(config.certificates[0]!.replace(/\s/g, '')).toContain(first.key.certificate.replace(/-----[A-Z ]+-----|\s/g, ''));

  // An admin tightens a setting; the next start brings a new key and port, and the setting stays.
  await updateConnection(db, seeded.organizationId, seeded.samlConnectionId!, { samlMetadata: null, samlConfig: { ...config, clockSkewSeconds: 30 } });
  const second = await samlIdp(4102);
  const again = await seedDemo(db, { ...options('http://127.0.0.1:4001', 'secret-one'), saml: { metadataXml: second.metadataXml() } });
  expect(again.samlConnectionId).toBe(seeded.samlConnectionId);
  const updated = await getConnectionById(db, seeded.samlConnectionId!);
  expect(readSamlConfig(updated!.samlConfig)).toMatchObject({ idpEntityId: second.entityId, ssoUrl: second.ssoUrl, clockSkewSeconds: 30 });
  expect(readSamlConfig(updated!.samlConfig)!.certificates).not.toEqual(config.certificates);

  // Without SAML metadata the connection is left as it is.
  const oidcOnly = await seedDemo(db, options('http://127.0.0.1:4001', 'secret-one'));
  expect(oidcOnly.samlConnectionId).toBeNull();
  expect((await getConnectionById(db, seeded.samlConnectionId!))?.samlConfig).toEqual(updated!.samlConfig);
});
