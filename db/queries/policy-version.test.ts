import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { accounts, attributeRules, connections, organizations, roles } from '@/db/schema';
import { createScimToken } from '@/lib/scim/create-token';
import { hashScimToken } from '@/lib/scim/authenticate';
import { closeTestDb, makeOrganization, makeRuleRole, testDb } from '@/lib/testing/fixtures';
import { upsertRole } from './roles';
import { getScimTokenWithPolicyByHash } from './scim-tokens';

/**
 * organizations.policy_version (migration 0010) moves on every change a birthright policy is read
 * from — rules, roles, a connection's default roles — and on nothing else, so a write planned with
 * a policy can check in one lookup that it is still the policy in force (scim-joiner.ts).
 */
const db = testDb();
afterAll(closeTestDb);

const version = async (organizationId: string) => (await db.select({ v: organizations.policyVersion }).from(organizations).where(eq(organizations.id, organizationId)))[0]!.v;
const conditions = { match: 'all' as const, conditions: [{ attribute: 'department', op: 'eq' as const, value: 'Ops' }] };

describe('organization policy version', () => {
  it('moves on every change to rules, roles and default roles', async () => {
    const { org, connection } = await makeOrganization(db);
    const changes: [string, () => Promise<unknown>][] = [
      ['role created', () => upsertRole(db, { organizationId: org.id, key: 'member', name: 'Member' })],
      ['rule created', () => makeRuleRole(db, org.id, 'ops', conditions)],
      ['rule disabled', () => db.update(attributeRules).set({ enabled: false }).where(eq(attributeRules.organizationId, org.id))],
      ['rule deleted', () => db.delete(attributeRules).where(eq(attributeRules.organizationId, org.id))],
      ['role renamed', () => db.update(roles).set({ name: 'Members' }).where(eq(roles.organizationId, org.id))],
      ['default roles changed', () => db.update(connections).set({ defaultRoles: ['member'] }).where(eq(connections.id, connection.id))],
      ['connection added', () => makeOrganization(db).then(() => db.insert(connections).values({ organizationId: org.id, name: 'Second', protocol: 'oidc', issuer: 'https://idp2.example.test', clientId: 'r2' }))],
      ['role deleted', () => db.delete(roles).where(eq(roles.key, 'ops'))],
    ];
    for (const [what, change] of changes) {
      const before = await version(org.id);
      await change();
      expect({ what, moved: (await version(org.id)) > before }).toEqual({ what, moved: true });
    }
  });

  it('stays put for changes no policy reads, and never moves another organization’s', async () => {
    const { org, connection } = await makeOrganization(db);
    const other = await makeOrganization(db);
    const before = await version(org.id);
    await db.update(connections).set({ name: 'Renamed IdP' }).where(eq(connections.id, connection.id));
    await db.update(organizations).set({ name: 'Renamed' }).where(eq(organizations.id, org.id));
    await db.insert(accounts).values({ organizationId: org.id, source: 'scim', userName: 'someone' });
    await makeRuleRole(db, other.org.id, 'elsewhere', conditions);
    expect(await version(org.id)).toBe(before);
  });

  it('comes with the policy in the token lookup', async () => {
    const { org, connection } = await makeOrganization(db, { defaultRoles: ['member'] });
    await upsertRole(db, { organizationId: org.id, key: 'member', name: 'Member' });
    const { token } = await createScimToken(db, { organizationId: org.id, connectionId: connection.id, name: 't' }, { type: 'cli' });
    const read = await getScimTokenWithPolicyByHash(db, hashScimToken(token));
    expect(read).toMatchObject({ policyVersion: await version(org.id), policyDefaults: [{ key: 'member' }], policyRules: [] });
  });
});
