import { randomUUID } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Tx } from '@/db';
import { accounts, auditEvents, organizations, roleAssignments, roles } from '@/db/schema';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { builtOnce, withFlatRowMapper } from './built-once';
import { insertOrganization } from './organizations';
import { upsertRole } from './roles';
import { lockId } from './person-locks';

const db = testDb();
afterAll(closeTestDb);

const bySlug = builtOnce((handle) => handle.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, sql.placeholder('slug'))).prepare('test_org_by_slug'));

describe('builtOnce', () => {
  it('runs a query built once on the pool and inside a transaction, where it sees the transaction\'s own writes', async () => {
    const slug = `built-once-${Date.now()}`;
    expect(await bySlug(db).execute({ slug })).toEqual([]);
    await db
      .transaction(async (tx) => {
        const org = await insertOrganization(tx, { slug, name: 'Built once' });
        expect(await bySlug(tx).execute({ slug })).toEqual([{ id: org.id }]);
        expect(await bySlug(db).execute({ slug })).toEqual([]); // the pool does not see it yet
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await bySlug(db).execute({ slug })).toEqual([]);
    expect(bySlug(db)).toBe(bySlug(db));
  });
});

describe('person lock ids', () => {
  it('are stable 64-bit ids, distinct for distinct keys', () => {
    expect(lockId('org|email|a@b.c')).toBe(lockId('org|email|a@b.c'));
    expect(lockId('org|email|a@b.c')).not.toBe(lockId('org|user|a@b.c'));
    expect(lockId('x') >= -(2n ** 63n) && lockId('x') < 2n ** 63n).toBe(true);
  });
});

describe('the flat row mapper of a query built once', () => {
  type Prepared = { execute: (values?: Record<string, unknown>) => Promise<unknown[]> };
  const pick = <T>(list: readonly T[], i: number) => list[i % list.length]!;

  /** Each selection prepared twice: once mapped by drizzle (the reference), once by the compiled mapper. */
  const selections: [string, (db: Tx) => Prepared][] = [
    ['every column of accounts', (db) => db.select().from(accounts).where(eq(accounts.organizationId, sql.placeholder('org'))).orderBy(accounts.id).prepare(`t_flat_accounts_${randomUUID().slice(0, 8)}`)],
    [
      'columns, aliased SQL with decoders, aggregates and JSON',
      (db) =>
        db
          .select({
            id: accounts.id,
            at: accounts.createdAt,
            lastLogin: accounts.lastLoginAt,
            attributes: accounts.scimAttributes,
            n: sql<number>`length(${accounts.userName})`.mapWith(Number),
            big: sql<string>`(extract(epoch from ${accounts.createdAt}) * 1000)::bigint`,
            when: sql`${accounts.updatedAt}`.mapWith(accounts.updatedAt),
            flag: sql<boolean>`${accounts.lastLoginAt} is null`.as('flag'),
            roles: sql<unknown>`(select json_agg(json_build_object('key', r.key, 'at', ra.granted_at)) from ${roleAssignments} ra join ${roles} r on r.id = ra.role_id where ra.account_id = "accounts"."id")`,
          })
          .from(accounts)
          .where(eq(accounts.organizationId, sql.placeholder('org')))
          .orderBy(accounts.id)
          .prepare(`t_flat_custom_${randomUUID().slice(0, 8)}`),
    ],
    ['every column of audit events', (db) => db.select().from(auditEvents).where(eq(auditEvents.organizationId, sql.placeholder('org'))).orderBy(auditEvents.id).prepare(`t_flat_audit_${randomUUID().slice(0, 8)}`)],
    ['an aggregate', (db) => db.select({ n: count(), newest: sql`max(${accounts.createdAt})`.mapWith(accounts.createdAt) }).from(accounts).where(eq(accounts.organizationId, sql.placeholder('org'))).prepare(`t_flat_count_${randomUUID().slice(0, 8)}`)],
  ];

  it('maps every row exactly as drizzle does, on a generated corpus of accounts (nulls, dates, JSON, arrays)', async () => {
    const { org } = await makeOrganization(db);
    const departments = ['Ops', null, 'Engineering', 'Sales'];
    const role = await upsertRole(db, { organizationId: org.id, key: 'corpus', name: 'Corpus' });
    for (let i = 0; i < 60; i++) {
      const account = await makeAccount(db, org.id, {
        door: pick(['admin', 'scim', 'jit'] as const, i),
        profile: { givenName: i % 3 ? `Given ${i}` : null, familyName: i % 4 ? `Family ${i}` : null, department: pick(departments, i), title: i % 5 ? null : `Title ${i}` },
        externalId: i % 2 ? `ext-${i}` : null,
        scimAttributes: i % 3 ? { nickName: `n${i}`, phoneNumbers: [{ value: `+1${i}`, type: 'work' }], nested: { deep: [i, null, true] } } : undefined,
      });
      if (i % 3 === 0) await db.insert(roleAssignments).values({ organizationId: org.id, accountId: account.id, roleId: role.id, source: 'manual', grantedBy: i % 2 ? 'admin' : null, expiresAt: i % 2 ? null : new Date(Date.UTC(2027, 0, i + 1)) });
      if (i % 2) await db.update(accounts).set({ lastLoginAt: new Date(Date.UTC(2026, 0, 1 + i, i % 24, i, i, i)), endsAt: i % 4 ? null : new Date(Date.UTC(2027, 5, i + 1)) }).where(eq(accounts.id, account.id));
    }
    for (const [what, build] of selections) {
      const reference = build(db);
      const mapped = withFlatRowMapper(build(db));
      expect((mapped as unknown as { customResultMapper?: unknown }).customResultMapper, what).toBeTypeOf('function');
      expect((reference as unknown as { customResultMapper?: unknown }).customResultMapper, what).toBeUndefined();
      const [expected, actual] = [await reference.execute({ org: org.id }), await mapped.execute({ org: org.id })];
      expect(expected.length, what).toBeGreaterThan(0);
      expect(actual, what).toStrictEqual(expected);
      // Dates stay dates with the same instant; keys come in the same order.
      expect(actual.map((row) => Object.keys(row as object)), what).toEqual(expected.map((row) => Object.keys(row as object)));
    }
  });

  it('leaves nested selections (a joined table as an object, nullified when missing) to drizzle', async () => {
    const query = db
      .select({ account: { id: accounts.id }, org: organizations })
      .from(accounts)
      .leftJoin(organizations, eq(organizations.id, accounts.organizationId))
      .limit(1)
      .prepare(`t_nested_${randomUUID().slice(0, 8)}`);
    expect((withFlatRowMapper(query) as unknown as { customResultMapper?: unknown }).customResultMapper).toBeUndefined();
    expect((withFlatRowMapper(bySlug(db)) as unknown as { customResultMapper?: unknown }).customResultMapper).toBeTypeOf('function');
  });
});
