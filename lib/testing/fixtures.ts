import { randomUUID } from 'node:crypto';
import { createDatabase, type Database } from '@/db';
import { insertAttributeRule } from '@/db/queries/attribute-rules';
import { insertConnection } from '@/db/queries/connections';
import { insertOrganization } from '@/db/queries/organizations';
import { upsertRole } from '@/db/queries/roles';
import type { NewConnection, RuleConditions } from '@/db/schema';

let handle: ReturnType<typeof createDatabase> | undefined;

/** The test database (real Postgres, see global-setup.ts). */
export function testDb(): Database {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is set by lib/testing/global-setup.ts');
  handle ??= createDatabase(url, { max: 40 });
  return handle.db;
}

export async function closeTestDb() {
  await handle?.sql.end({ timeout: 5 });
  handle = undefined;
}

/** A fresh organization with one OIDC connection allowing `example.com`. */
export async function makeOrganization(db: Database, connection: Partial<NewConnection> = {}) {
  const suffix = randomUUID().slice(0, 8);
  const org = await insertOrganization(db, { slug: `org-${suffix}`, name: `Org ${suffix}` });
  const conn = await insertConnection(db, {
    organizationId: org.id,
    name: 'Test IdP',
    protocol: 'oidc',
    issuer: 'https://idp.example.test',
    clientId: 'roster',
    allowedDomains: ['example.com'],
    ...connection,
  });
  return { org, connection: conn };
}

export async function makeRuleRole(db: Database, organizationId: string, key: string, conditions: RuleConditions, connectionId?: string) {
  const role = await upsertRole(db, { organizationId, key, name: key });
  const rule = await insertAttributeRule(db, { organizationId, name: `grant ${key}`, roleId: role.id, connectionId: connectionId ?? null, conditions });
  return { role, rule };
}
