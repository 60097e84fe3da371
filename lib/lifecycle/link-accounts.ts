/**
 * One person, one account: how a SCIM push and an SSO login find each other.
 *
 * Everything happens inside one organization (the SCIM token's, or the login connection's); no
 * rule ever looks across organizations. Deprovisioned accounts never match.
 *
 * SCIM → an existing account (a POST /Users, after the IdP's own lookup found nothing to update):
 *   candidates are the organization's accounts with
 *     (a) the same userName (case-insensitive), or
 *     (b) the same email as the pushed primary email — only when that email's domain is verified
 *         for the organization (allowed by its enabled connections, or by the token's connection
 *         when the token is tied to one): a SCIM push is the IdP asserting the address, so a
 *         verified domain is what makes it count as verified, or
 *     (c) an identity on the token's connection whose subject equals the pushed externalId
 *         (Okta: externalId is the Okta user id, which is also its OIDC `sub`).
 *   - a SCIM-managed account holding the userName → the userName is taken: 409 uniqueness (RFC);
 *   - exactly one account not yet SCIM-managed → it is adopted: it becomes SCIM-managed, SCIM's
 *     values apply (PUT semantics), and it answers the IdP as the created user;
 *   - several → a conflict for an admin (link_conflicts), 409 to the IdP, nothing linked;
 *   - none → a new account.
 *   Lookups need no rule: GET /Users?filter=userName eq "…" already answers with JIT-created
 *   accounts, so an IdP that looks before it creates (Okta and Entra both do) links by itself.
 *
 * SSO login → a SCIM-created account (the first sign-in of (connection, subject)):
 *   candidates are SCIM-managed accounts of the connection's organization with no identity on this
 *   connection yet, and
 *     (a) externalId = the login's subject (exact), or
 *     (b) userName = the login's mapped userName (case-insensitive) — when it is an address, its
 *         domain must be one the connection allows, or
 *     (c) email = the login's email, only when the IdP says `email_verified: true` and the domain
 *         is one the connection allows.
 *   - exactly one → the identity is linked to it (and JIT creates nothing);
 *   - several → a conflict for an admin, the login is refused (account_conflict);
 *   - none → the usual JIT path (create, or refuse if the user name is held).
 */
import type { Tx } from '@/db';
import { findLoginLinkCandidates, findScimLinkCandidates, findVerifiedDomains, upsertLinkConflict, type LinkCandidate } from '@/db/queries/account-links';
import { recordEvent, type Actor } from '@/lib/audit/record-event';

export type LinkDecision =
  | { kind: 'none' }
  | { kind: 'taken'; accountId: string }
  | { kind: 'link'; accountId: string }
  | { kind: 'conflict'; conflictId: string; candidateIds: string[] };

const domainOf = (address: string) => (address.includes('@') ? address.slice(address.lastIndexOf('@') + 1).toLowerCase() : null);

/** Pure: what a SCIM push with this userName should do, given the candidates found. */
export function decideScimLink(candidates: LinkCandidate[], userName: string): Exclude<LinkDecision, { kind: 'conflict' }> | { kind: 'ambiguous'; candidateIds: string[] } {
  const holder = candidates.find((c) => c.userName.toLowerCase() === userName.toLowerCase());
  if (holder?.scimManagedAt) return { kind: 'taken', accountId: holder.id };
  const unmanaged = [...new Map(candidates.filter((c) => !c.scimManagedAt).map((c) => [c.id, c])).values()];
  if (unmanaged.length === 0) return { kind: 'none' };
  if (unmanaged.length === 1) return { kind: 'link', accountId: unmanaged[0]!.id };
  return { kind: 'ambiguous', candidateIds: unmanaged.map((c) => c.id) };
}

async function conflict(tx: Tx, organizationId: string, source: 'scim' | 'login', matchKey: string, incoming: Record<string, unknown>, candidateIds: string[], actor: Actor) {
  const row = await upsertLinkConflict(tx, { organizationId, source, matchKey, incoming, candidateAccountIds: candidateIds });
  await recordEvent(tx, { organizationId, actor, action: 'account.link_conflict', target: { type: 'link_conflict', id: row.id }, data: { source, matchKey, candidateIds, ...incoming } });
  return { kind: 'conflict' as const, conflictId: row.id, candidateIds };
}

export async function matchScimPush(
  tx: Tx,
  scope: { organizationId: string; connection: { id: string; allowedDomains: string[] } | null },
  input: { userName: string; email: string | null; externalId: string | null },
  actor: Actor,
): Promise<LinkDecision> {
  const domain = input.email ? domainOf(input.email) : null;
  const domains = scope.connection ? scope.connection.allowedDomains : domain ? await findVerifiedDomains(tx, scope.organizationId, null) : [];
  const verified = domain !== null && domains.map((d) => d.toLowerCase()).includes(domain);
  const candidates = await findScimLinkCandidates(tx, {
    organizationId: scope.organizationId,
    connectionId: scope.connection?.id ?? null,
    ...input,
    email: verified ? input.email : null,
  });
  const decision = decideScimLink(candidates, input.userName);
  if (decision.kind !== 'ambiguous') return decision;
  const incoming = { userName: input.userName, email: input.email, externalId: input.externalId };
  return conflict(tx, scope.organizationId, 'scim', `scim:username:${input.userName.toLowerCase()}`, incoming, decision.candidateIds, actor);
}

export async function matchLoginIdentity(
  tx: Tx,
  connection: { id: string; organizationId: string; allowedDomains: string[] },
  login: { subject: string; userName: string | null; email: string | null; emailVerified: boolean | null },
  actor: Actor,
): Promise<LinkDecision> {
  const allowed = (address: string | null) => address !== null && connection.allowedDomains.includes(domainOf(address) ?? '');
  const userName = login.userName && (!login.userName.includes('@') || allowed(login.userName)) ? login.userName : null;
  const email = login.emailVerified === true && allowed(login.email) ? login.email : null;
  const candidates = await findLoginLinkCandidates(tx, { organizationId: connection.organizationId, connectionId: connection.id, subject: login.subject, userName, email });
  if (candidates.length === 0) return { kind: 'none' };
  if (candidates.length === 1) return { kind: 'link', accountId: candidates[0]!.id };
  const incoming = { subject: login.subject, userName: login.userName, email: login.email };
  return conflict(tx, connection.organizationId, 'login', `login:${connection.id}:${login.subject}`, incoming, candidates.map((c) => c.id), actor);
}
