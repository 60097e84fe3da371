import { randomBytes } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { findRulesForConnection } from '@/db/queries/attribute-rules';
import { getConnectionById, getConnectionSecret } from '@/db/queries/connections';
import { findRoles } from '@/db/queries/roles';
import { decryptSecret } from '@/lib/crypto/secret-box';
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

  const again = await seedDemo(db, options('http://127.0.0.1:4002', 'secret-two'));
  expect(again).toMatchObject({ created: false, connectionId: first.connectionId, organizationId: first.organizationId });

  const connection = await getConnectionById(db, first.connectionId);
  expect(connection).toMatchObject({ issuer: 'http://127.0.0.1:4002', clientId: 'roster-demo', allowedDomains: ['acme.test'], defaultRoles: ['member'] });
  const sealed = await getConnectionSecret(db, first.organizationId, first.connectionId);
  expect(decryptSecret(sealed!, encryptionKey)).toBe('secret-two');

  const roles = await findRoles(db, first.organizationId);
  expect(roles.map((r) => r.key)).toEqual(['admin', 'engineering', 'finance', 'member', 'sales']);
  const rules = await findRulesForConnection(db, first.organizationId, first.connectionId);
  expect(rules).toHaveLength(4);
  const adminRole = roles.find((r) => r.key === 'admin')!;
  expect(rules.find((r) => r.roleId === adminRole.id)?.conditions).toEqual({
    match: 'all',
    conditions: [{ attribute: 'groups', op: 'eq', value: 'roster-admins' }],
  });
});
