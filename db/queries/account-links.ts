import { and, eq, isNotNull, ne, or, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accounts, connections, externalIdentities, linkConflicts } from '@/db/schema';

const candidateColumns = { id: accounts.id, userName: accounts.userName, email: accounts.email, scimManagedAt: accounts.scimManagedAt, status: accounts.status };
export type LinkCandidate = { id: string; userName: string; email: string | null; scimManagedAt: Date | null; status: string };

/** Domains verified for an organization: those its enabled connections allow (or just the given connection's). */
export async function findVerifiedDomains(db: Tx, organizationId: string, connectionId: string | null): Promise<string[]> {
  const rows = await db
    .select({ domains: connections.allowedDomains })
    .from(connections)
    .where(and(eq(connections.organizationId, organizationId), eq(connections.enabled, true), connectionId ? eq(connections.id, connectionId) : undefined));
  return [...new Set(rows.flatMap((r) => r.domains.map((d) => d.toLowerCase())))];
}

/** Accounts a SCIM push could be: same user name, same (verified) email, or the token's connection knows its externalId as a subject. */
export async function findScimLinkCandidates(
  db: Tx,
  input: { organizationId: string; userName: string; email: string | null; externalId: string | null; connectionId: string | null },
): Promise<LinkCandidate[]> {
  // One index lookup per way of matching, united: written as one OR, Postgres cannot use the
  // indexes (the subquery branch forces a scan of every account of the organization: 70 ms at 100k).
  const org = input.organizationId;
  const ways = [
    sql`select ${accounts.id} from ${accounts} where ${accounts.organizationId} = ${org} and lower(${accounts.userName}) = lower(${input.userName})`,
    ...(input.email ? [sql`select ${accounts.id} from ${accounts} where ${accounts.organizationId} = ${org} and lower(${accounts.email}) = lower(${input.email})`] : []),
    ...(input.externalId && input.connectionId
      ? [sql`select ${externalIdentities.accountId} from ${externalIdentities} where ${externalIdentities.connectionId} = ${input.connectionId} and ${externalIdentities.subject} = ${input.externalId}`]
      : []),
  ];
  return db
    .select(candidateColumns)
    .from(accounts)
    .where(and(eq(accounts.organizationId, org), ne(accounts.status, 'deprovisioned'), sql`${accounts.id} in (${sql.join(ways, sql` union all `)})`))
    .limit(20)
    .prepare('scim_link_candidates')
    .execute();
}

/** SCIM-managed accounts a first sign-in could be: not yet linked to this connection, matching by externalId, user name or email. */
export async function findLoginLinkCandidates(
  db: Tx,
  input: { organizationId: string; connectionId: string; subject: string; userName: string | null; email: string | null },
): Promise<LinkCandidate[]> {
  const linkedHere = sql`exists (select 1 from ${externalIdentities} where ${externalIdentities.accountId} = ${accounts.id} and ${externalIdentities.connectionId} = ${input.connectionId})`;
  return db
    .select(candidateColumns)
    .from(accounts)
    .where(
      and(
        eq(accounts.organizationId, input.organizationId),
        ne(accounts.status, 'deprovisioned'),
        isNotNull(accounts.scimManagedAt),
        sql`not ${linkedHere}`,
        or(
          eq(accounts.externalId, input.subject),
          input.userName ? sql`lower(${accounts.userName}) = lower(${input.userName})` : undefined,
          input.email ? sql`lower(${accounts.email}) = lower(${input.email})` : undefined,
        ),
      ),
    )
    .limit(20);
}

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
