import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accounts, type Account } from '@/db/schema';
import { builtOnce } from './built-once';

/**
 * Reads of the console's bulk actions (lib/lifecycle/bulk): the accounts of one chunk, locked for
 * its transaction in one statement, and the organization's settings (its bulk action limit).
 */

/**
 * These accounts of the organization (well-formed ids only), locked FOR UPDATE in id order, so two
 * runs over the same accounts queue behind each other instead of deadlocking. Ids of accounts of
 * another organization match nothing.
 */
export async function lockAccountsOfOrganization(db: Tx, organizationId: string, ids: string[]): Promise<Account[]> {
  if (ids.length === 0) return [];
  return lockedAccounts(db).execute({ organizationId, ids: `{${ids.join(',')}}` });
}

const lockedAccounts = builtOnce((db) =>
  db
    .select()
    .from(accounts)
    .where(and(eq(accounts.organizationId, sql.placeholder('organizationId')), sql`${accounts.id} = any(${sql.placeholder('ids')}::uuid[])`))
    .orderBy(asc(accounts.id))
    .for('update')
    .prepare('accounts_lock_bulk'),
);
