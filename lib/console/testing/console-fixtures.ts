import { eq, sql } from 'drizzle-orm';
import type { Database } from '@/db';
import { upsertRole } from '@/db/queries/roles';
import { accounts, externalIdentities, groupMemberships, groups, roleAssignments, type AccountStatus } from '@/db/schema';
import { makeOrganization } from '@/lib/testing/fixtures';

/**
 * An organization for the console's data tests: ACCOUNTS accounts whose every sort key has ties
 * (display names repeated in other cases, last sign-ins on seven days, creation times shared by
 * batches), nulls (no display name, never signed in, no email), all statuses and sources, and
 * some on its connection, holding its role (in force, lapsed, or twice) or in its group; and
 * another organization with look-alike accounts that must never show. Rows are written directly
 * (fixtures, not lifecycle commands), then read back as stored.
 */
export const ACCOUNTS = 90;
const NAMES = ['Alice Anders', 'bob brown', 'ALICE ANDERS', 'Carol Clark', 'dave_d%', 'Zoe Zola'];
const STATUSES: AccountStatus[] = ['active', 'suspended', 'deprovisioned', 'pending_approval'];
const SOURCES = ['jit', 'scim', 'manual'] as const;
const day = 86_400_000;
export const BASE = new Date('2026-03-01T12:00:00.000Z');

function row(organizationId: string, i: number, prefix = 'user') {
  return {
    organizationId,
    userName: `${i % 2 ? prefix.toUpperCase() : prefix}-${String(i).padStart(3, '0')}@example.com`,
    email: i % 11 === 0 ? null : `${prefix}-${String(i).padStart(3, '0')}@example.com`,
    displayName: i % 10 === 0 ? null : NAMES[i % NAMES.length]!,
    department: ['Engineering', 'Sales'][i % 2]!,
    title: 'Engineer',
    status: STATUSES[i % 4]!,
    source: SOURCES[i % 3]!,
    lastLoginAt: i % 5 === 0 ? null : new Date(BASE.getTime() - (i % 7) * day),
  };
}

/** Who is on the connection, holds the role (in force), or is in the group, by account number. */
export const onConnection = (i: number) => i % 2 === 0;
export const holdsRole = (i: number) => i % 3 === 0 && i % 9 !== 0;
export const inGroup = (i: number) => i % 4 === 1;

export async function seedConsoleOrganization(db: Database) {
  const { org, connection } = await makeOrganization(db);
  const other = await makeOrganization(db);
  for (let batch = 0; batch < 3; batch++) {
    const numbers = Array.from({ length: ACCOUNTS / 3 }, (_, k) => batch * (ACCOUNTS / 3) + k);
    await db.insert(accounts).values(numbers.map((i) => row(org.id, i)));
  }
  await db.insert(accounts).values(Array.from({ length: 12 }, (_, i) => row(other.org.id, i, 'user')));
  const stored = await db
    .select({ id: accounts.id, userName: accounts.userName, email: accounts.email, displayName: accounts.displayName, status: accounts.status, source: accounts.source, lastLoginAt: accounts.lastLoginAt, createdAt: accounts.createdAt })
    .from(accounts)
    .where(eq(accounts.organizationId, org.id));
  const numbered = stored.map((a) => ({ ...a, n: Number(a.userName.slice(5, 8)) })).sort((a, b) => a.n - b.n);
  const idOf = (i: number) => numbered[i]!.id;

  const role = await upsertRole(db, { organizationId: org.id, key: 'engineering', name: 'Engineering' });
  const grants = numbered.filter((a) => a.n % 3 === 0).flatMap((a) => {
    const lapsed = a.n % 9 === 0;
    const base = { organizationId: org.id, accountId: a.id, roleId: role.id, grantedAt: BASE };
    const byRule = { ...base, source: 'birthright' as const, sourceRef: 'rule:x', expiresAt: lapsed ? new Date(Date.now() - day) : a.n % 2 ? new Date(Date.now() + day) : null };
    return a.n % 6 === 0 && !lapsed ? [byRule, { ...base, source: 'manual' as const, sourceRef: '', expiresAt: null }] : [byRule];
  });
  await db.insert(roleAssignments).values(grants);
  const [group] = await db.insert(groups).values({ organizationId: org.id, displayName: 'Engineers' }).returning({ id: groups.id });
  await db.insert(groupMemberships).values(numbered.filter((a) => inGroup(a.n)).map((a) => ({ organizationId: org.id, groupId: group!.id, accountId: a.id })));
  await db.insert(externalIdentities).values(numbered.filter((a) => onConnection(a.n)).map((a) => ({ organizationId: org.id, connectionId: connection.id, subject: `sub-${a.n}`, accountId: a.id })));

  // The other organization: its accounts on its own connection, role and group of the same names.
  const otherRole = await upsertRole(db, { organizationId: other.org.id, key: 'engineering', name: 'Engineering' });
  const otherAccounts = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.organizationId, other.org.id));
  await db.insert(roleAssignments).values(otherAccounts.map((a) => ({ organizationId: other.org.id, accountId: a.id, roleId: otherRole.id, source: 'manual' as const })));
  await db.insert(externalIdentities).values(otherAccounts.map((a, i) => ({ organizationId: other.org.id, connectionId: other.connection.id, subject: `sub-${i}`, accountId: a.id })));
  const count = await db.execute<{ n: number }>(sql`select count(*)::int as n from accounts where organization_id = ${org.id}::uuid`);
  if (count[0]?.n !== ACCOUNTS) throw new Error('console fixtures: unexpected account count');
  return { org, connection, role, groupId: group!.id, accounts: numbered, idOf, other: { org: other.org, connection: other.connection, accountIds: otherAccounts.map((a) => a.id) } };
}

export type ConsoleOrganization = Awaited<ReturnType<typeof seedConsoleOrganization>>;
export type SeededAccount = ConsoleOrganization['accounts'][number];
