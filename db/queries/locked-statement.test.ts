import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { accounts } from '@/db/schema';
import { builtOnce } from './built-once';
import { lockedStatement, LockedStatementUnavailable, runLocked } from './locked-statement';
import { lockId } from './person-locks';

const db = testDb();
afterAll(closeTestDb);

/** How many accounts the organization has, as the statement's own snapshot sees them. */
const counted = builtOnce((h) =>
  h.select({ n: sql<number>`count(*)::int`.as('n') }).from(accounts).where(sql`${accounts.organizationId} = ${sql.placeholder('organizationId')}::uuid`).prepare('test_locked_count'),
);
const statement = () => lockedStatement(counted(db), [{ name: 'n', getSQLType: () => 'integer' } as never]);
const locksHeld = async (key: bigint) => {
  const u = BigInt.asUintN(64, key);
  const [row] = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and granted and objsubid = 1 and classid = ${String(u >> 32n)}::bigint::oid and objid = ${String(u & 0xffffffffn)}::bigint::oid`,
  );
  return row!.n;
};

describe('runLocked', () => {
  it('runs the statement after the locks are held, in a snapshot that sees what committed while it waited', async () => {
    const { org } = await makeOrganization(db);
    const key = lockId(`locked-statement|${org.id}`);
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // Another transaction takes the lock, writes an account and commits only when told.
    const other = db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${String(key)}::bigint)`);
      await makeAccount(tx as never, org.id);
      locked();
      await holding;
    });
    await isLocked;
    const counting = runLocked(db, statement(), [key], { organizationId: org.id });
    await new Promise((resolve) => setTimeout(resolve, 150));
    release();
    await other;
    expect((await counting)[0]).toEqual({ n: 1 });
    expect(await locksHeld(key)).toBe(0);
  });

  it('creates its function when the database lacks it (a new deployment), and answers the same after', async () => {
    const { org } = await makeOrganization(db);
    await makeAccount(db, org.id);
    const s = statement();
    await db.execute(sql.raw(`drop function if exists ${s.name}`));
    expect(await runLocked(db, s, [lockId('a'), lockId('b')], { organizationId: org.id })).toEqual([{ n: 1 }]);
    const [fn] = await db.execute<{ n: number }>(sql`select count(*)::int as n from pg_proc where proname = ${s.name}`);
    expect(fn!.n).toBe(1);
    expect(await runLocked(db, s, [lockId('a')], { organizationId: org.id })).toEqual([{ n: 1 }]);
  });

  it('says so, as LockedStatementUnavailable, when its function cannot be created (callers then take their slower path)', async () => {
    const s = statement();
    const broken = { ...s, name: `${s.name}_x`, call: s.call.replace(s.name, `${s.name}_x`), create: 'create function roster_locked_refused( as $$ $$' };
    await expect(runLocked(db, broken, [lockId('c')], { organizationId: crypto.randomUUID() })).rejects.toBeInstanceOf(LockedStatementUnavailable);
  });

  it('throws the statement’s own error, and holds no lock after it', async () => {
    const key = lockId('locked-statement|failing');
    await expect(runLocked(db, statement(), [key], { organizationId: 'not-a-uuid' })).rejects.toMatchObject({ code: '22P02' });
    expect(await locksHeld(key)).toBe(0);
  });
});
