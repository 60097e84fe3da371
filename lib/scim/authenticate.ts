import { createHash, timingSafeEqual } from 'node:crypto';
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
};

const TOUCH_EVERY_MS = 60_000;

export function hashScimToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
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
  if (!row || !same || row.revokedAt) throw unauthorized('The SCIM token is invalid or has been revoked.');
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) await touchScimToken(db, row.id);
  const connection =
    row.connectionId && row.connectionDomains && row.connectionDefaultRoles
      ? { id: row.connectionId, allowedDomains: row.connectionDomains, defaultRoles: row.connectionDefaultRoles }
      : null;
  const policy = withPolicy ? { rules: withPolicy.policyRules, defaults: withPolicy.policyDefaults } : null;
  return { tokenId: row.id, organizationId: row.organizationId, connectionId: row.connectionId, connection, policy };
}

