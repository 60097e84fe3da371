/**
 * One person, one account: how a SCIM push and an SSO login find each other — the one place that
 * decides it, for both doors, under one lock per person.
 *
 * The person lock: before looking, each door takes transaction-scoped advisory locks on every key
 * that could name the person in the organization — the directory id (SCIM externalId, a sign-in's
 * subject), the user name and the email, lowercased (db/queries/person-locks.ts). A sign-in and a
 * SCIM push of the same person share at least one key (the rules below only ever match on one), so
 * they run one after the other, on any app instance, and the second sees what the first committed.
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
import { getAccountByIdentity } from '@/db/queries/accounts';
import { findLoginLinkCandidates, findScimLinkCandidates, getSettledLinkConflict, upsertLinkConflict, type LinkCandidate, type PushMatch } from '@/db/queries/account-links';
import { lockKeys } from '@/db/queries/person-locks';
import type { Account } from '@/db/schema';
import type { CommandContext } from '../context';

export type LinkDecision =
  | { kind: 'none' }
  | { kind: 'taken'; accountId: string }
  | { kind: 'link'; accountId: string }
  | { kind: 'conflict'; conflictId: string; candidateIds: string[] };

/** What a door knows of the person it is about to create or link. */
export type PersonClaim =
  | {
      door: 'scim';
      organizationId: string;
      /** The SCIM token's connection, when it is tied to one (its domains count as verified). */
      connection: { id: string; allowedDomains: string[] } | null;
      userName: string;
      email: string | null;
      externalId: string | null;
    }
  | {
      door: 'jit';
      connection: { id: string; organizationId: string; allowedDomains: string[] };
      subject: string;
      userName: string | null;
      email: string | null;
      emailVerified: boolean | null;
    };

const domainOf = (address: string) => (address.includes('@') ? address.slice(address.lastIndexOf('@') + 1).toLowerCase() : null);
const lower = (value: string | null | undefined) => (value ? value.toLowerCase() : null);

/** The lock keys of a claim: everything that could name the person in its organization. */
export function personKeys(claim: PersonClaim): string[] {
  const org = claim.door === 'scim' ? claim.organizationId : claim.connection.organizationId;
  const directoryId = claim.door === 'scim' ? claim.externalId : claim.subject;
  return [
    directoryId ? `${org}|id|${directoryId}` : null,
    claim.userName ? `${org}|user|${lower(claim.userName)}` : null,
    claim.email ? `${org}|email|${lower(claim.email)}` : null,
  ].filter((k): k is string => k !== null);
}

/** Pure: what a SCIM push with this userName should do, given the candidates found. */
export function decideScimLink(candidates: LinkCandidate[], userName: string): Exclude<LinkDecision, { kind: 'conflict' }> | { kind: 'ambiguous'; candidateIds: string[] } {
  const holder = candidates.find((c) => c.userName.toLowerCase() === userName.toLowerCase());
  if (holder?.scimManagedAt) return { kind: 'taken', accountId: holder.id };
  const unmanaged = [...new Map(candidates.filter((c) => !c.scimManagedAt).map((c) => [c.id, c])).values()];
  if (unmanaged.length === 0) return { kind: 'none' };
  if (unmanaged.length === 1) return { kind: 'link', accountId: unmanaged[0]!.id };
  return { kind: 'ambiguous', candidateIds: unmanaged.map((c) => c.id) };
}

/**
 * An ambiguous match. An admin who already decided for this identity (resolve-conflict.ts) is
 * followed: "link to this account" links it (while that account is still a candidate), "keep apart"
 * makes it no match (a new account). Otherwise it is held as an open conflict.
 */
async function conflict(tx: Tx, organizationId: string, source: 'scim' | 'login', matchKey: string, incoming: Record<string, unknown>, candidateIds: string[], ctx: CommandContext): Promise<LinkDecision> {
  const settled = await getSettledLinkConflict(tx, organizationId, source, matchKey);
  if (settled?.status === 'dismissed') return { kind: 'none' };
  const chosen = settled?.status === 'resolved' && settled.candidateAccountIds.length === 1 ? settled.candidateAccountIds[0]! : null;
  if (chosen && candidateIds.includes(chosen)) return { kind: 'link', accountId: chosen };
  const row = await upsertLinkConflict(tx, { organizationId, source, matchKey, incoming, candidateAccountIds: candidateIds });
  ctx.record({ organizationId, actor: ctx.actor, action: 'account.link_conflict', target: { type: 'link_conflict', id: row.id }, data: { source, matchKey, candidateIds, ...incoming } });
  return { kind: 'conflict' as const, conflictId: row.id, candidateIds };
}

/**
 * A SCIM push: takes the person lock, then finds the accounts it could be (rule above). The email
 * counts only when its domain is verified for the organization, which the candidates query checks
 * against the organization's enabled connections unless the token's connection decides.
 */
export type PushClaim = Extract<PersonClaim, { door: 'scim' }>;

/** What a push is matched by: its email only when its domain is verified (by the token's connection, or the organization's). */
export function pushMatchOf(claim: PushClaim): PushMatch {
  const domain = claim.email ? domainOf(claim.email) : null;
  const tokenVerified = claim.connection ? domain !== null && claim.connection.allowedDomains.map((d) => d.toLowerCase()).includes(domain) : null;
  return {
    organizationId: claim.organizationId,
    connectionId: claim.connection?.id ?? null,
    userName: claim.userName,
    externalId: claim.externalId,
    email: tokenVerified === false ? null : claim.email,
    emailDomainVerifiedBy: tokenVerified === null ? 'organization' : 'caller',
  };
}

export async function findPersonForPush(tx: Tx, claim: PushClaim, ctx: CommandContext): Promise<LinkDecision> {
  // Pipelined: the candidates statement starts once the locks are held, so it sees what the holder committed.
  const [, candidates] = await Promise.all([lockKeys(tx, personKeys(claim)), findScimLinkCandidates(tx, pushMatchOf(claim))]);
  const decision = decideScimLink(candidates, claim.userName);
  if (decision.kind !== 'ambiguous') return decision;
  const incoming = { userName: claim.userName, email: claim.email, externalId: claim.externalId };
  return conflict(tx, claim.organizationId, 'scim', `scim:username:${claim.userName.toLowerCase()}`, incoming, decision.candidateIds, ctx);
}

export type LoginPerson = { kind: 'known'; account: Account; identityId: string } | LinkDecision;

/**
 * A sign-in whose (connection, subject) is not linked yet: takes the person lock, looks again for
 * the identity (a simultaneous first sign-in may have made it), then for the SCIM-provisioned
 * account it belongs to (rule above).
 */
export async function findPersonForLogin(tx: Tx, claim: Extract<PersonClaim, { door: 'jit' }>, ctx: CommandContext): Promise<LoginPerson> {
  const { connection } = claim;
  const allowed = (address: string | null) => address !== null && connection.allowedDomains.includes(domainOf(address) ?? '');
  const userName = claim.userName && (!claim.userName.includes('@') || allowed(claim.userName)) ? claim.userName : null;
  const email = claim.emailVerified === true && allowed(claim.email) ? claim.email : null;
  const [, known, candidates] = await Promise.all([
    lockKeys(tx, personKeys(claim)),
    getAccountByIdentity(tx, connection.id, claim.subject),
    findLoginLinkCandidates(tx, { organizationId: connection.organizationId, connectionId: connection.id, subject: claim.subject, userName, email }),
  ]);
  if (known) return { kind: 'known', ...known };
  if (candidates.length === 0) return { kind: 'none' };
  if (candidates.length === 1) return { kind: 'link', accountId: candidates[0]!.id };
  const incoming = { subject: claim.subject, userName: claim.userName, email: claim.email };
  return conflict(tx, connection.organizationId, 'login', `login:${connection.id}:${claim.subject}`, incoming, candidates.map((c) => c.id), ctx);
}
