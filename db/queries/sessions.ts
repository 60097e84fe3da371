import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accounts, organizations, sessions } from '@/db/schema';

export async function insertSession(
  db: Tx,
  values: { organizationId: string; accountId: string; connectionId: string | null; expiresAt: Date; ip?: string | null; userAgent?: string | null },
) {
  const [row] = await db.insert(sessions).values(values).returning({ id: sessions.id, expiresAt: sessions.expiresAt });
  return row!;
}

/**
 * The session with its account, only if the session is live and the account active:
 * every authenticated request goes through this, so revocation and suspension apply at once.
 */
export async function getLiveSession(db: Tx, sessionId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return null;
  const [row] = await db
    .select({
      sessionId: sessions.id,
      expiresAt: sessions.expiresAt,
      organizationId: accounts.organizationId,
      organizationSlug: organizations.slug,
      organizationName: organizations.name,
      accountId: accounts.id,
      userName: accounts.userName,
      email: accounts.email,
      displayName: accounts.displayName,
    })
    .from(sessions)
    .innerJoin(accounts, and(eq(accounts.id, sessions.accountId), eq(accounts.organizationId, sessions.organizationId)))
    .innerJoin(organizations, eq(organizations.id, accounts.organizationId))
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt), sql`${sessions.expiresAt} > now()`, eq(accounts.status, 'active')));
  return row ?? null;
}

export async function revokeSession(db: Tx, sessionId: string, reason: string) {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokeReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Revokes every live session of the account; returns how many. */
export async function revokeAccountSessions(db: Tx, organizationId: string, accountId: string, reason: string) {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokeReason: reason })
    .where(and(eq(sessions.organizationId, organizationId), eq(sessions.accountId, accountId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id })
    .prepare('account_sessions_revoke')
    .execute();
  return rows.length;
}
