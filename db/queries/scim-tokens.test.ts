import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { attributeRules, connections, organizations, roles } from '@/db/schema';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { deleteAttributeRule, insertAttributeRule, updateAttributeRule } from './attribute-rules';
import { upsertRole } from './roles';

const db = testDb();
afterAll(closeTestDb);

const versionOf = async (organizationId: string) => (await db.select({ v: organizations.policyVersion }).from(organizations).where(eq(organizations.id, organizationId)))[0]!.v;
const conditions = { match: 'all' as const, conditions: [{ attribute: 'department', op: 'eq' as const, value: 'Ops' }] };

describe('organizations.policy_version (migration 0026)', () => {
  it('moves on every change a birthright policy is read from, in that organization only, and not on an update that changes nothing', async () => {
    const { org, connection } = await makeOrganization(db);
    const { org: other } = await makeOrganization(db);
    const otherStart = await versionOf(other.id);
    const steps: [string, () => Promise<unknown>, boolean][] = [
      ['a role is created', () => upsertRole(db, { organizationId: org.id, key: 'ops', name: 'Ops' }), true],
      ['the same role is upserted again', () => upsertRole(db, { organizationId: org.id, key: 'ops', name: 'Ops' }), false],
      ['a role is renamed', () => db.update(roles).set({ name: 'Operations' }).where(eq(roles.organizationId, org.id)), true],
      ['a role is written unchanged', () => db.update(roles).set({ name: 'Operations' }).where(eq(roles.organizationId, org.id)), false],
      ['a rule is created', async () => insertAttributeRule(db, { organizationId: org.id, name: 'ops', roleId: (await upsertRole(db, { organizationId: org.id, key: 'ops', name: 'Operations' })).id, conditions }), true],
      ['a rule is turned off', async () => updateAttributeRule(db, org.id, (await db.select().from(attributeRules).where(eq(attributeRules.organizationId, org.id)))[0]!.id, { enabled: false }), true],
      ['a rule is written unchanged', async () => updateAttributeRule(db, org.id, (await db.select().from(attributeRules).where(eq(attributeRules.organizationId, org.id)))[0]!.id, { enabled: false }), false],
      ['a rule is deleted', async () => deleteAttributeRule(db, org.id, (await db.select().from(attributeRules).where(eq(attributeRules.organizationId, org.id)))[0]!.id), true],
      ['a connection’s default roles change', () => db.update(connections).set({ defaultRoles: ['ops'] }).where(eq(connections.id, connection.id)), true],
      ['a connection is renamed', () => db.update(connections).set({ name: 'Renamed IdP' }).where(eq(connections.id, connection.id)), false],
      ['a connection is deleted', () => db.delete(connections).where(eq(connections.id, connection.id)), true],
      ['a role is deleted', () => db.delete(roles).where(eq(roles.organizationId, org.id)), true],
    ];
    for (const [what, change, moves] of steps) {
      const before = await versionOf(org.id);
      await change();
      expect({ what, moved: (await versionOf(org.id)) > before }).toEqual({ what, moved: moves });
    }
    expect(await versionOf(other.id)).toBe(otherStart);
  });
});
