import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { organizations } from '@/db/schema';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { builtOnce } from './built-once';
import { insertOrganization } from './organizations';
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
