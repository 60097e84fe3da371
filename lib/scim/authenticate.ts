import { hash, timingSafeEqual } from 'node:crypto';
import type { Tx } from '@/db';
import { getScimTokenByHash, getScimTokenWithPolicyByHash, touchScimToken } from '@/db/queries/scim-tokens';
import type { BirthrightPolicy } from '@/lib/lifecycle/access/birthright';
import { ScimError } from './scim-error';

/** Who is calling: the token decides the organization (and the connection, when the token is tied to one). */
export type ScimPrincipal = {
  tokenId: string;
  organizationId: string;
  connectionId: string | null;
  /** The token's connection: its verified domains and default roles apply to what this token pushes. */
  connection: { id: string; allowedDomains: string[]; defaultRoles: string[] } | null;
  /** The birthright policy the token's pushes get, when the request asked for it (writes that may create or move accounts). */
  policy: BirthrightPolicy | null;
  /** What a write planned with this principal re-checks in its own statement (db/queries/scim-tokens.ts: scimTokenStillGrants). */
  guard: { tokenId: string; tokenHash: string; policyVersion: string } | null;
};

const TOUCH_EVERY_MS = 60_000;

/**
 * One-shot crypto.hash, not createHash: each Hash object is a native object V8 frees through a weak
 * handle at its next young-generation collection, and a SCIM request hashes its token once. Those
 * handles were 0.3–3.9 ms of each collection's pause (1.4 typical; --trace-gc-nvp,
 * heap.external_weak_global_handles, 1,000 lookups a second at c1) and now 0.01 ms.
 */
export function hashScimToken(token: string): string {
  return hash('sha256', token, 'hex');
}

const unauthorized = (detail: string) => new ScimError(401, null, detail);
/** The token of `Authorization: Bearer <token>`, if the header has that form. */
const bearer = (authorization: string | null | undefined) => /^\s*bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? null;

/**
 * Checks `Authorization: Bearer <token>` against the stored SHA-256 hashes. The lookup is by hash
 * (the plaintext never reaches the database); the stored hash is compared again in constant time.
 * Revoked and unknown tokens get the same 401. last_used_at is written at most once a minute.
 * `withPolicy`: also read the birthright policy, in the same statement.
 */
export async function authenticateScim(db: Tx, authorization: string | null | undefined, options: { withPolicy?: boolean; now?: Date } = {}): Promise<ScimPrincipal> {
  const now = options.now ?? new Date();
  const token = bearer(authorization);
  if (!token) throw unauthorized('Authentication required: send the SCIM token as a Bearer token.');
  const presented = hashScimToken(token);
  const withPolicy = options.withPolicy ? await getScimTokenWithPolicyByHash(db, presented) : null;
  const row = options.withPolicy ? withPolicy : await getScimTokenByHash(db, presented);
  const same = row !== null && timingSafeEqual(Buffer.from(row.tokenHash, 'hex'), Buffer.from(presented, 'hex'));
  if (!row || !same || row.revokedAt) {
    remembered.get(db)?.delete(presented);
    throw unauthorized('The SCIM token is invalid or has been revoked.');
  }
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) await touchScimToken(db, row.id);
  const connection =
    row.connectionId && row.connectionDomains && row.connectionDefaultRoles
      ? { id: row.connectionId, allowedDomains: row.connectionDomains, defaultRoles: row.connectionDefaultRoles }
      : null;
  const policy = withPolicy ? { rules: withPolicy.policyRules, defaults: withPolicy.policyDefaults } : null;
  const guard = withPolicy ? { tokenId: row.id, tokenHash: presented, policyVersion: withPolicy.policyVersion } : null;
  const principal: ScimPrincipal = { tokenId: row.id, organizationId: row.organizationId, connectionId: row.connectionId, connection, policy, guard };
  if (guard) remember(db, presented, principal, now.getTime() + REMEMBER_MS);
  return principal;
}

/**
 * A principal this process authenticated, with its policy, less than a minute ago — for a User
 * create, whose insert re-checks the token and the policy digest in its own statement (guard); a
 * User PATCH, PUT or DELETE, whose locked read of the account re-checks them the same way; and a
 * lookup by user name, whose read re-checks the token. Nothing is decided from memory: if the guard
 * fails nothing is written and the request is authenticated again in full (401 if the token was
 * revoked). Saves the token lookup's round trip on the commonest requests. Entries last a minute
 * (so last_used_at is still touched about once a minute); a bounded map per database handle;
 * forgotten when the token is refused.
 */
const REMEMBER_MS = 60_000;
const REMEMBER_AT_MOST = 1000;
const remembered = new WeakMap<Tx, Map<string, { principal: ScimPrincipal; until: number }>>();

function remember(db: Tx, tokenHash: string, principal: ScimPrincipal, until: number) {
  let entries = remembered.get(db);
  if (!entries) remembered.set(db, (entries = new Map()));
  if (entries.size >= REMEMBER_AT_MOST) entries.clear();
  entries.set(tokenHash, { principal, until });
}

export function rememberedPrincipal(db: Tx, authorization: string | null | undefined, now = Date.now()): ScimPrincipal | null {
  const token = bearer(authorization);
  if (!token) return null;
  const tokenHash = hashScimToken(token);
  const entry = remembered.get(db)?.get(tokenHash);
  if (!entry) return null;
  if (entry.until > now) return entry.principal;
  remembered.get(db)?.delete(tokenHash);
  return null;
}

