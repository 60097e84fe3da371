import { hash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { builtOnce } from './built-once';

/** How many keys one statement locks (a person has at most three: directory id, user name, email). */
const SLOTS = 3;

/** A lock key's 64-bit advisory lock id (the first 8 bytes of its SHA-256, as a signed bigint). */
export function lockId(key: string): bigint {
  return hash('sha256', key, 'buffer').readBigInt64BE(0);
}

/**
 * Takes transaction-scoped advisory locks on these keys, in one statement and in ascending id
 * order — every taker uses the same order, so two takers of overlapping keys never deadlock. They
 * are held until the transaction ends, on whichever app instance it runs.
 */
export async function lockKeys(db: Tx, keys: string[]): Promise<void> {
  const ids = lockIds(keys);
  if (ids.length > 0) await keysLock(db).execute(lockParams(ids));
}

/** The sorted, distinct lock ids of these keys (at most three). */
export function lockIds(keys: string[]): bigint[] {
  const ids = [...new Set(keys.map(lockId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (ids.length > SLOTS) throw new Error(`lockKeys takes at most ${SLOTS} keys`);
  return ids;
}

function lockParams(ids: bigint[]) {
  // Unused slots repeat the last id: taking a lock the transaction already holds is a no-op.
  const padded = [...ids, ...Array<bigint>(SLOTS - ids.length).fill(ids[ids.length - 1]!)];
  return { k1: String(padded[0]), k2: String(padded[1]), k3: String(padded[2]) };
}

const keysLock = builtOnce((db) => {
  const lock = (name: string) => sql`pg_advisory_xact_lock(${sql.placeholder(name)}::bigint)`;
  // The select list is evaluated left to right: the locks are taken in the order written.
  return db.select({ a: sql`${lock('k1')}`, b: sql`${lock('k2')}`, c: sql`${lock('k3')}` }).from(sql`(select 1) as one`).prepare('person_keys_lock');
});
