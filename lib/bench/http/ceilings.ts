import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '@/db';
import { builtOnce } from '@/db/queries/built-once';
import { accounts } from '@/db/schema';

/**
 * The raw ceilings the SCIM writes are read against: single-row statements on `accounts` through
 * postgres.js by the cheapest means (one prepared statement built once, no RETURNING, autocommit),
 * with the table's indexes and triggers firing as for any account and nothing else. Deliberately
 * not through lib/lifecycle: they are what the lifecycle's writes are measured against.
 *
 * Insert: the row a SCIM POST stores (the same columns and values as lib/bench/cases/scim.ts).
 * Update: the change a PATCH active=false makes to the row (status, deactivation time, version).
 * It must find the row active, or it is a cheaper statement than the one it stands for: with the
 * status unchanged, the account-count trigger does not fire (`reactivateRawAccounts`).
 */
const p = (name: string) => sql.placeholder(name);

const rawInsert = builtOnce((db) =>
  db
    .insert(accounts)
    .values({
      organizationId: p('organizationId'),
      source: 'scim',
      userName: p('userName'),
      email: p('email'),
      givenName: 'Bench',
      familyName: p('userName'),
      department: 'Engineering',
      externalId: p('externalId'),
    })
    .prepare('bench_http_raw_insert'),
);

const rawUpdate = builtOnce((db) =>
  db
    .update(accounts)
    .set({ status: 'suspended', deactivatedAt: sql`now()`, version: sql`${accounts.version} + 1`, updatedAt: sql`now()` })
    .where(eq(accounts.id, p('id')))
    .prepare('bench_http_raw_update'),
);

export function insertRawAccount(db: Database, organizationId: string, userName: string): Promise<unknown> {
  return rawInsert(db).execute({ organizationId, userName, email: `${userName}@scim.bench.test`, externalId: `ext-${userName}` });
}

export function updateRawAccount(db: Database, id: string): Promise<unknown> {
  return rawUpdate(db).execute({ id });
}

/**
 * Unmeasured, before a round of the update ceiling: the rows it may take made active again, so each
 * raw UPDATE is a real active→suspended change (as the Okta PATCH's is), whichever round it is in.
 * A no-op for rows never suspended; one statement, the ids as one parameter, however many.
 */
export async function reactivateRawAccounts(db: Database, organizationId: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db
    .update(accounts)
    .set({ status: 'active', deactivatedAt: null, version: sql`${accounts.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(accounts.organizationId, organizationId), sql`${accounts.id} = any(string_to_array(${ids.join(',')}, ',')::uuid[])`, eq(accounts.status, 'suspended')))
    .returning({ id: accounts.id });
  return rows.length;
}
