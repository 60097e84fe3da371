import { and, asc, count, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accounts, externalIdentities, type Account, type AccountStatus, type NewAccount } from '@/db/schema';

/** Hot queries (SCIM, JIT) are prepared statements: see db/queries/scim-tokens.ts for why. */
export async function insertAccount(db: Tx, values: NewAccount): Promise<Account> {
  const [row] = await db.insert(accounts).values(values).returning().prepare('account_insert').execute();
  return row!;
}

export async function getAccountById(db: Tx, organizationId: string, id: string, options: { forUpdate?: boolean } = {}) {
  const query = db.select().from(accounts).where(and(eq(accounts.organizationId, organizationId), eq(accounts.id, id)));
  const [row] = options.forUpdate ? await query.for('update').prepare('account_by_id_for_update').execute() : await query.prepare('account_by_id').execute();
  return row ?? null;
}

/** The account an external identity (connection, subject) points to, locked for the login's transaction. */
export async function getAccountByIdentity(db: Tx, connectionId: string, subject: string) {
  const [row] = await db
    .select({ account: accounts, identityId: externalIdentities.id })
    .from(externalIdentities)
    .innerJoin(
      accounts,
      and(eq(accounts.id, externalIdentities.accountId), eq(accounts.organizationId, externalIdentities.organizationId)),
    )
    .where(and(eq(externalIdentities.connectionId, connectionId), eq(externalIdentities.subject, subject)))
    .for('update', { of: accounts });
  return row ?? null;
}

export async function getAccountIdByUserName(db: Tx, organizationId: string, userName: string) {
  const [row] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.organizationId, organizationId), sql`lower(${accounts.userName}) = lower(${userName})`));
  return row?.id ?? null;
}

/** Writes the given fields and bumps the version; scoped by organization and id. */
export async function updateAccount(db: Tx, organizationId: string, id: string, patch: Partial<NewAccount>): Promise<Account> {
  const [row] = await db
    .update(accounts)
    .set({ ...patch, version: sql`${accounts.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(accounts.organizationId, organizationId), eq(accounts.id, id)))
    .returning()
    .prepare('account_update')
    .execute();
  return row!;
}

export async function recordAccountLogin(db: Tx, organizationId: string, id: string, at: Date) {
  await db
    .update(accounts)
    .set({ lastLoginAt: at, firstLoginAt: sql`coalesce(${accounts.firstLoginAt}, ${at.toISOString()}::timestamptz)` })
    .where(and(eq(accounts.organizationId, organizationId), eq(accounts.id, id)));
}

export type AccountListFilter = { search?: string; status?: AccountStatus; limit?: number; offset?: number };

/** A page of the organization's accounts, with the total for the same filter. */
export async function findAccounts(db: Tx, organizationId: string, filter: AccountListFilter = {}) {
  const where: SQL[] = [eq(accounts.organizationId, organizationId)];
  if (filter.status) where.push(eq(accounts.status, filter.status));
  const term = filter.search?.trim();
  if (term) {
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(accounts.userName, like), ilike(accounts.email, like), ilike(accounts.displayName, like), ilike(accounts.department, like))!);
  }
  const condition = and(...where);
  const limit = Math.min(Math.max(filter.limit ?? 25, 1), 200);
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: accounts.id,
        userName: accounts.userName,
        email: accounts.email,
        displayName: accounts.displayName,
        department: accounts.department,
        title: accounts.title,
        status: accounts.status,
        source: accounts.source,
        lastLoginAt: accounts.lastLoginAt,
        createdAt: accounts.createdAt,
      })
      .from(accounts)
      .where(condition)
      .orderBy(asc(sql`lower(${accounts.userName})`), asc(accounts.id))
      .limit(limit)
      .offset(Math.max(filter.offset ?? 0, 0)),
    db.select({ value: count() }).from(accounts).where(condition),
  ]);
  return { rows, total: total?.value ?? 0 };
}
