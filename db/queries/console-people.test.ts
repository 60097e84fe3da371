import { afterAll, describe, expect, it } from 'vitest';
import { insertAttributeRule } from '@/db/queries/attribute-rules';
import { upsertRole } from '@/db/queries/roles';
import { groups, roleAssignments } from '@/db/schema';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { findPrivilegedPeople } from './console-people';

/** Who holds admin and auditor now: every grant in force with how it was given, none lapsed, none of another organization. */
const db = testDb();
afterAll(closeTestDb);

describe('console people', () => {
  it('lists the grants of admin and auditor in force, each with its source named', async () => {
    const { org, connection } = await makeOrganization(db, { name: 'Okta' });
    const other = await makeOrganization(db);
    const [admin, auditor, member] = await Promise.all(['admin', 'auditor', 'member'].map((key) => upsertRole(db, { organizationId: org.id, key, name: key.toUpperCase() })));
    const alice = await makeAccount(db, org.id, { userName: 'alice@example.com', profile: { displayName: 'Alice Anders' } });
    const bob = await makeAccount(db, org.id, { userName: 'bob@example.com' });
    const carol = await makeAccount(db, org.id, { userName: 'carol@example.com', profile: { displayName: 'Carol Clark' } });
    const dave = await makeAccount(db, org.id, { userName: 'dave@example.com' });
    const [group] = await db.insert(groups).values({ organizationId: org.id, displayName: 'Security team' }).returning({ id: groups.id });
    const rule = await insertAttributeRule(db, { organizationId: org.id, name: 'auditors by title', roleId: auditor!.id, conditions: { match: 'all', conditions: [] } });
    const since = new Date('2026-01-02T03:04:05.000Z');
    const grant = (accountId: string, roleId: string, source: 'manual' | 'group' | 'birthright', sourceRef: string, expiresAt: Date | null = null, grantedBy: string | null = null) =>
      ({ organizationId: org.id, accountId, roleId, source, sourceRef, grantedAt: since, expiresAt, grantedBy });
    const later = new Date(Date.now() + 86_400_000);
    await db.insert(roleAssignments).values([
      grant(alice.id, admin!.id, 'manual', '', null, 'cli:ops'),
      grant(alice.id, admin!.id, 'group', `group:${group!.id}`),
      grant(bob.id, auditor!.id, 'birthright', `rule:${rule.id}`, later),
      grant(carol.id, auditor!.id, 'birthright', `connection:${connection.id}`),
      grant(dave.id, admin!.id, 'manual', '', new Date(Date.now() - 1000)), // lapsed
      grant(dave.id, member!.id, 'manual', ''), // not a privileged role
      grant(carol.id, admin!.id, 'group', 'group:00000000-0000-4000-8000-000000000000'), // a group that is gone
    ]);
    const theirAdmin = await upsertRole(db, { organizationId: other.org.id, key: 'admin', name: 'Admin' });
    const stranger = await makeAccount(db, other.org.id, { userName: 'alice@example.com' });
    await db.insert(roleAssignments).values({ organizationId: other.org.id, accountId: stranger.id, roleId: theirAdmin.id, source: 'manual', sourceRef: '' });

    const people = await findPrivilegedPeople(db, org.id);
    expect(people.map((p) => [p.roleKey, p.displayName ?? p.userName, p.source, p.viaName, p.grantedBy])).toEqual([
      ['admin', 'Alice Anders', 'group', 'Security team', null],
      ['admin', 'Alice Anders', 'manual', null, 'cli:ops'],
      ['admin', 'Carol Clark', 'group', null, null],
      ['auditor', 'bob@example.com', 'birthright', 'auditors by title', null],
      ['auditor', 'Carol Clark', 'birthright', 'Okta', null],
    ]);
    expect(people[0]).toMatchObject({ accountId: alice.id, email: 'alice@example.com', status: 'active', roleName: 'ADMIN', since, expiresAt: null });
    expect(people[3]?.expiresAt).toEqual(later);
    expect(await findPrivilegedPeople(db, other.org.id)).toMatchObject([{ accountId: stranger.id, roleKey: 'admin' }]);
    expect(await findPrivilegedPeople(db, (await makeOrganization(db)).org.id)).toEqual([]);
  });
});
