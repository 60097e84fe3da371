import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { builtOnce } from './built-once';
import { pipelinedTransaction, step } from './pipelined';

const db = testDb();
afterAll(closeTestDb);

const lock = builtOnce((h) => h.select({ locked: sql<string>`pg_advisory_xact_lock(${sql.placeholder('key')}::bigint)::text` }).from(sql`(select 1) one`).prepare('test_pipelined_lock'));
const heldLocks = builtOnce((h) =>
  h.select({ n: sql<number>`(select count(*)::int from pg_locks where locktype = 'advisory' and pid = pg_backend_pid() and granted)`.as('n') }).from(sql`(select 1) one`).prepare('test_pipelined_held'),
);
const txid = builtOnce((h) => h.select({ id: sql<string>`pg_current_xact_id()::text`.as('id') }).from(sql`(select 1) one`).prepare('test_pipelined_txid'));
const failing = builtOnce((h) => h.select({ x: sql<number>`1 / ${sql.placeholder('zero')}::int` }).from(sql`(select 1) one`).prepare('test_pipelined_fail'));

describe('pipelinedTransaction', () => {
  it('runs BEGIN, the steps in order and COMMIT as one transaction: a lock the first step takes is held by the next, and released after', async () => {
    const key = String(BigInt(Date.now()) * 7n);
    const [, held, a, b] = await pipelinedTransaction<[unknown, { n: number }[], { id: string }[], { id: string }[]]>(db, [
      step(lock(db), { key }),
      step(heldLocks(db)),
      step(txid(db)),
      step(txid(db)),
    ] as never);
    expect(held[0]!.n).toBe(1);
    expect(a[0]!.id).toBe(b[0]!.id); // one transaction, not one per statement
    expect((await heldLocks(db).execute())[0]!.n).toBe(0);
  });

  it('rolls everything back when a step fails, and throws that failure (not the aborted statements after it)', async () => {
    const key = String(BigInt(Date.now()) * 11n);
    await expect(
      pipelinedTransaction(db, [step(lock(db), { key }), step(failing(db), { zero: 0 }), step(txid(db))]),
    ).rejects.toThrow(/division by zero/);
    // The connection is usable again and holds nothing.
    expect((await heldLocks(db).execute())[0]!.n).toBe(0);
  });
});
