import { and, desc, eq, isNotNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import { builtOnce } from './built-once';
import { accounts, connections, externalIdentities, linkConflicts } from '@/db/schema';

const candidateColumns = { id: accounts.id, userName: accounts.userName, email: accounts.email, scimManagedAt: accounts.scimManagedAt, status: accounts.status };
export type LinkCandidate = { id: string; userName: string; email: string | null; scimManagedAt: Date | null; status: string };

/**
 * Accounts a SCIM push could be: same user name, same email (its domain verified: by the caller, or
 * here, as a domain an enabled connection of the organization allows), or the token's connection
 * knows its externalId as a subject. One index lookup per way of matching, united (written as one
 * OR, Postgres cannot use the indexes: 70 ms at 100k accounts); absent values match nothing.
 */
export async function findScimLinkCandidates(db: Tx, input: PushMatch): Promise<LinkCandidate[]> {
  return scimCandidates(db).execute(pushMatchParams(input));
}

/** What a push is matched by (lib/lifecycle/identity/find-person.ts has the rule). */
export type PushMatch = { organizationId: string; userName: string; email: string | null; externalId: string | null; connectionId: string | null; emailDomainVerifiedBy: 'caller' | 'organization' };

/** The parameters of pushCandidateIds. */
export function pushMatchParams(input: PushMatch) {
  const domain = input.email?.includes('@') ? input.email.slice(input.email.lastIndexOf('@') + 1).toLowerCase() : null;
  return {
    organizationId: input.organizationId,
    userName: input.userName,
    email: input.email,
    domain: input.emailDomainVerifiedBy === 'organization' ? domain : null,
    checkDomain: input.emailDomainVerifiedBy === 'organization',
    externalId: input.externalId,
    connectionId: input.connectionId,
  };
}

/**
 * The ids of the visible accounts a push could be, as SQL over named placeholders (pushMatchParams):
 * the one statement of the rule, used to list them and, by an account's create, to insert only if
 * there are none (accounts.ts: insertAccountUnlessMatched).
 */
export function pushCandidateIds(): SQL {
  const p = (name: string) => sql.placeholder(name);
  const org = sql`${p('organizationId')}::uuid`;
  return sql`select a.id from ${accounts} a where a.organization_id = ${org} and a.status <> 'deprovisioned' and a.id in (
    select ${accounts.id} from ${accounts} where ${accounts.organizationId} = ${org} and lower(${accounts.userName}) = lower(${p('userName')}::text)
    union all
    select ${accounts.id} from ${accounts} where ${accounts.organizationId} = ${org} and lower(${accounts.email}) = lower(${p('email')}::text)
      and (not ${p('checkDomain')}::boolean or exists (
        select 1 from ${connections} c, unnest(c.allowed_domains) d where c.organization_id = ${org} and c.enabled and lower(d) = ${p('domain')}::text))
    union all
    select ${externalIdentities.accountId} from ${externalIdentities} where ${externalIdentities.connectionId} = ${p('connectionId')}::uuid and ${externalIdentities.subject} = ${p('externalId')}::text)
    limit 20`;
}

const scimCandidates = builtOnce((db) =>
  db
    .select(candidateColumns)
    .from(accounts)
    .where(sql`${accounts.id} in (${pushCandidateIds()})`)
    .prepare('scim_link_candidates'),
);

/** SCIM-managed accounts a first sign-in could be: not yet linked to this connection, matching by externalId, user name or email (absent: no match). */
export async function findLoginLinkCandidates(
  db: Tx,
  input: { organizationId: string; connectionId: string; subject: string; userName: string | null; email: string | null },
): Promise<LinkCandidate[]> {
  return loginCandidates(db).execute(input);
}

const loginCandidates = builtOnce((db) => {
  const p = (name: string) => sql.placeholder(name);
  const linkedHere = sql`exists (select 1 from ${externalIdentities} where ${externalIdentities.accountId} = ${accounts.id} and ${externalIdentities.connectionId} = ${p('connectionId')}::uuid)`;
  return db
    .select(candidateColumns)
    .from(accounts)
    .where(
      and(
        eq(accounts.organizationId, sql`${p('organizationId')}::uuid`),
        ne(accounts.status, 'deprovisioned'),
        isNotNull(accounts.scimManagedAt),
        sql`not ${linkedHere}`,
        or(
          eq(accounts.externalId, sql`${p('subject')}::text`),
          sql`lower(${accounts.userName}) = lower(${p('userName')}::text)`,
          sql`lower(${accounts.email}) = lower(${p('email')}::text)`,
        ),
      ),
    )
    .limit(20)
    .prepare('login_link_candidates');
});

/** Records (or counts again) an open conflict; one open row per organization, source and match key. */
export async function upsertLinkConflict(
  db: Tx,
  values: { organizationId: string; source: 'scim' | 'login'; matchKey: string; incoming: Record<string, unknown>; candidateAccountIds: string[] },
) {
  const [row] = await db
    .insert(linkConflicts)
    .values(values)
    .onConflictDoUpdate({
      target: [linkConflicts.organizationId, linkConflicts.source, linkConflicts.matchKey],
      targetWhere: sql`${linkConflicts.status} = 'open'`,
      set: { occurrences: sql`${linkConflicts.occurrences} + 1`, lastSeenAt: sql`now()`, incoming: values.incoming, candidateAccountIds: values.candidateAccountIds },
    })
    .returning({ id: linkConflicts.id, occurrences: linkConflicts.occurrences });
  return row!;
}

export type LinkConflictRow = typeof linkConflicts.$inferSelect;

/** An organization's link conflicts, newest first (open ones unless a status is given; 'all': every one). */
export async function findLinkConflicts(db: Tx, organizationId: string, status: LinkConflictRow['status'] | 'all', limit: number): Promise<LinkConflictRow[]> {
  return db
    .select()
    .from(linkConflicts)
    .where(and(eq(linkConflicts.organizationId, organizationId), status === 'all' ? undefined : eq(linkConflicts.status, status)))
    .orderBy(desc(linkConflicts.lastSeenAt), desc(linkConflicts.id))
    .limit(limit);
}

export async function getLinkConflict(db: Tx, organizationId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<LinkConflictRow | null> {
  const query = db.select().from(linkConflicts).where(and(eq(linkConflicts.organizationId, organizationId), eq(linkConflicts.id, id)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

/** An admin's decision on an open conflict: resolved (its candidates narrowed to the account chosen) or dismissed (kept apart). */
export async function settleLinkConflict(db: Tx, organizationId: string, id: string, values: { status: 'resolved' | 'dismissed'; candidateAccountIds?: string[]; resolvedBy: string | null; resolvedAt: Date }) {
  await db.update(linkConflicts).set(values).where(and(eq(linkConflicts.organizationId, organizationId), eq(linkConflicts.id, id), eq(linkConflicts.status, 'open')));
}

/** The latest decision an admin made for this identity (source and match key), if any. */
export async function getSettledLinkConflict(db: Tx, organizationId: string, source: string, matchKey: string): Promise<LinkConflictRow | null> {
  const [row] = await db
    .select()
    .from(linkConflicts)
    .where(and(eq(linkConflicts.organizationId, organizationId), eq(linkConflicts.source, source), eq(linkConflicts.matchKey, matchKey), ne(linkConflicts.status, 'open')))
    .orderBy(desc(linkConflicts.resolvedAt))
    .limit(1);
  return row ?? null;
}
