import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accounts, externalIdentities, organizations, sessions } from '@/db/schema';
import { builtOnce } from './built-once';
import { preparedWrite } from './json-rows';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function insertSession(
  db: Tx,
  values: { organizationId: string; accountId: string; connectionId: string | null; expiresAt: Date; ip?: string | null; userAgent?: string | null },
) {
  const [row] = await sessionInsert(db).execute({ ip: null, userAgent: null, ...values, expiresAt: values.expiresAt.toISOString() });
  return row!;
}

const sessionInsert = builtOnce((db) => {
  const p = sql.placeholder;
  return db
    .insert(sessions)
    .values({
      organizationId: p('organizationId'),
      accountId: p('accountId'),
      connectionId: p('connectionId'),
      expiresAt: sql`${p('expiresAt')}::timestamptz`,
      ip: sql`${p('ip')}::inet`,
      userAgent: p('userAgent'),
    })
    .returning({ id: sessions.id, expiresAt: sessions.expiresAt })
    .prepare('session_insert');
});

/**
 * A sign-in's writes in one statement: the account's last and first sign-in times and its last
 * activity (dormancy; a sign-in never moves it back), the identity's last sign-in, and the new
 * session. One statement instead of three saves each sign-in two statements' worth of work on both
 * sides of the connection.
 */
export async function insertSignInSession(
  db: Tx,
  values: { organizationId: string; accountId: string; identityId: string; connectionId: string; at: Date; expiresAt: Date; ip: string | null; userAgent: string | null },
) {
  const { at, expiresAt, ...rest } = values;
  const [row] = await signInSession(db).execute({ ...rest, at: at.toISOString(), expiresAt: expiresAt.toISOString() });
  return row!;
}

const signInSession = builtOnce((db) => {
  const p = sql.placeholder;
  const at = sql`${p('at')}::timestamptz`;
  const accountLogin = db.$with('account_login', { one: sql<number>`one` }).as(
    sql`update ${accounts} set ${sql.identifier(accounts.lastLoginAt.name)} = ${at},
      ${sql.identifier(accounts.lastActivityAt.name)} = greatest(${accounts.lastActivityAt}, ${at}),
      ${sql.identifier(accounts.firstLoginAt.name)} = coalesce(${accounts.firstLoginAt}, ${at})
      where ${accounts.organizationId} = ${p('organizationId')}::uuid and ${accounts.id} = ${p('accountId')}::uuid returning 1 as one`,
  );
  const identityTouch = db.$with('identity_touch', { one: sql<number>`one` }).as(
    sql`update ${externalIdentities} set ${sql.identifier(externalIdentities.lastLoginAt.name)} = ${at}
      where ${externalIdentities.organizationId} = ${p('organizationId')}::uuid and ${externalIdentities.id} = ${p('identityId')}::uuid returning 1 as one`,
  );
  return db
    .with(accountLogin, identityTouch)
    .insert(sessions)
    .values({
      organizationId: sql`${p('organizationId')}::uuid`,
      accountId: sql`${p('accountId')}::uuid`,
      connectionId: sql`${p('connectionId')}::uuid`,
      expiresAt: sql`${p('expiresAt')}::timestamptz`,
      ip: sql`${p('ip')}::inet`,
      userAgent: p('userAgent'),
    })
    .returning({ id: sessions.id, expiresAt: sessions.expiresAt })
    .prepare('sign_in_session');
});

/**
 * The session with its account, only if the session is live and the account active:
 * every authenticated request goes through this, so revocation and suspension apply at once.
 */
export async function getLiveSession(db: Tx, sessionId: string) {
  if (!UUID.test(sessionId)) return null;
  const [row] = await liveSession(db).execute({ sessionId });
  return row ?? null;
}

/**
 * The organization's session lifetime (settings.sessionMaxAgeSeconds, lib/governance/organization-settings.ts)
 * applies to sessions already open too: one older than it is refused at its next request.
 */
const withinOrganizationLifetime = sql`case when jsonb_typeof(${organizations.settings}->'sessionMaxAgeSeconds') = 'number'
  then ${sessions.createdAt} > now() - make_interval(secs => (${organizations.settings}->>'sessionMaxAgeSeconds')::float8) else true end`;

const liveSession = builtOnce((db) =>
  db
    .select({
      sessionId: sessions.id,
      expiresAt: sessions.expiresAt,
      lastUsedAt: sessions.lastUsedAt,
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
    .where(and(eq(sessions.id, sql.placeholder('sessionId')), isNull(sessions.revokedAt), sql`${sessions.expiresAt} > now()`, withinOrganizationLifetime, eq(accounts.status, 'active')))
    .prepare('live_session'),
);

/** Revokes one live session; returns its organization and account, or null if it was not live. */
export async function revokeSession(db: Tx, sessionId: string, reason: string) {
  if (!UUID.test(sessionId)) return null;
  const [row] = await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokeReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .returning({ organizationId: sessions.organizationId, accountId: sessions.accountId });
  return row ?? null;
}

/** Revokes every live session of the account; returns how many. */
export async function revokeAccountSessions(db: Tx, organizationId: string, accountId: string, reason: string) {
  const [row] = await accountSessionsRevoke(db).execute({ organizationId, accountId, reason });
  return row?.rows ?? 0;
}

const accountSessionsRevoke = builtOnce((db) =>
  preparedWrite(
    db,
    'account_sessions_revoke',
    sql`update ${sessions} set revoked_at = now(), revoke_reason = ${sql.placeholder('reason')}::text
      where organization_id = ${sql.placeholder('organizationId')}::uuid and account_id = ${sql.placeholder('accountId')}::uuid and revoked_at is null
      returning 1 as one`,
  ),
);

/** Revokes every live session opened through a connection (disabled or deleted); returns the accounts and how many. */
export async function revokeConnectionSessions(db: Tx, organizationId: string, connectionId: string, reason: string) {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokeReason: reason })
    .where(and(eq(sessions.organizationId, organizationId), eq(sessions.connectionId, connectionId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id, accountId: sessions.accountId });
  return rows;
}

/** The live sessions of an account (for `roster account show` and the console). */
export async function findOpenSessions(db: Tx, organizationId: string, accountId: string) {
  return db
    .select({ id: sessions.id, connectionId: sessions.connectionId, createdAt: sessions.createdAt, expiresAt: sessions.expiresAt, ip: sessions.ip, userAgent: sessions.userAgent })
    .from(sessions)
    .where(and(eq(sessions.organizationId, organizationId), eq(sessions.accountId, accountId), isNull(sessions.revokedAt), sql`${sessions.expiresAt} > now()`))
    .orderBy(sessions.createdAt);
}

/**
 * Ended sessions (expired, or revoked) whose end is before `cutoff`, for the housekeeping job: up to
 * `limit` rows per statement, skipping rows another statement holds. Nothing reads an ended session
 * (the account page and the gate read live ones; an account's activity is accounts.last_activity_at;
 * the audit trail keeps the session id, address and reason in its own events). Returns how many went.
 */
export async function deleteEndedSessions(db: Tx, cutoff: Date, limit: number) {
  const at = cutoff.toISOString();
  // A CTE, so the locking select runs once (see deleteExpiredSamlRequests in saml-requests.ts).
  const rows = await db.execute<{ id: string }>(sql`
    with doomed as (
      select ${sessions.id} as id from ${sessions}
      where ${sessions.expiresAt} < ${at}::timestamptz or ${sessions.revokedAt} < ${at}::timestamptz
      limit ${limit} for update skip locked
    )
    delete from ${sessions} s using doomed where s.id = doomed.id
    returning s.id`);
  return rows.length;
}

/** How many sessions deleteEndedSessions would delete (dry runs). */
export async function countEndedSessions(db: Tx, cutoff: Date) {
  const at = cutoff.toISOString();
  const [row] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from ${sessions} where ${sessions.expiresAt} < ${at}::timestamptz or ${sessions.revokedAt} < ${at}::timestamptz`);
  return row?.n ?? 0;
}

/** Revokes every live session of these accounts in one statement; returns how many each lost. */
export async function revokeSessionsOfAccounts(db: Tx, organizationId: string, accountIds: string[], reason: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (accountIds.length === 0) return counts;
  const rows = await db.execute<{ account_id: string }>(sql`update sessions set revoked_at = now(), revoke_reason = ${reason}
    where organization_id = ${organizationId}::uuid and account_id = any(${`{${accountIds.join(',')}}`}::uuid[]) and revoked_at is null
    returning account_id`);
  for (const row of rows) counts.set(row.account_id, (counts.get(row.account_id) ?? 0) + 1);
  return counts;
}

/**
 * A session's use, throttled: sessions.last_used_at and the account's last_activity_at are written
 * only when the session's last use is older than `every` (or unknown), so most requests write
 * nothing; the condition is in the statement, so racing requests write once. Returns whether it wrote.
 */
export async function touchSessionUse(db: Tx, sessionId: string, now: Date, everySeconds: number): Promise<boolean> {
  if (!UUID.test(sessionId)) return false;
  const rows = await db.execute<{ n: number }>(sql`
    with used as (
      update sessions set last_used_at = ${now.toISOString()}::timestamptz
      where id = ${sessionId}::uuid and revoked_at is null
        and (last_used_at is null or last_used_at <= ${now.toISOString()}::timestamptz - make_interval(secs => ${everySeconds}))
      returning organization_id, account_id)
    , active as (
      update accounts a set last_activity_at = ${now.toISOString()}::timestamptz from used
      where a.organization_id = used.organization_id and a.id = used.account_id
        and (a.last_activity_at is null or a.last_activity_at < ${now.toISOString()}::timestamptz)
      returning 1)
    select (select count(*) from used)::int as n`);
  return (rows[0]?.n ?? 0) > 0;
}
