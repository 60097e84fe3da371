import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { connections, scimTokens } from '@/db/schema';

const listColumns = {
  id: scimTokens.id,
  organizationId: scimTokens.organizationId,
  connectionId: scimTokens.connectionId,
  name: scimTokens.name,
  tokenPrefix: scimTokens.tokenPrefix,
  createdBy: scimTokens.createdBy,
  createdAt: scimTokens.createdAt,
  lastUsedAt: scimTokens.lastUsedAt,
  revokedAt: scimTokens.revokedAt,
};

export async function insertScimToken(
  db: Tx,
  values: { organizationId: string; connectionId?: string | null; name: string; tokenHash: string; tokenPrefix: string; createdBy?: string | null },
) {
  const [row] = await db.insert(scimTokens).values(values).returning(listColumns);
  return row!;
}

/**
 * The token row for a presented token's hash (the hash is unique), with its connection's settings
 * when it is tied to one; revoked tokens are returned too, so callers can say so.
 */
export async function getScimTokenByHash(db: Tx, tokenHash: string) {
  const [row] = await db
    .select({
      ...listColumns,
      tokenHash: scimTokens.tokenHash,
      connectionDomains: connections.allowedDomains,
      connectionDefaultRoles: connections.defaultRoles,
    })
    .from(scimTokens)
    .leftJoin(connections, and(eq(connections.id, scimTokens.connectionId), eq(connections.organizationId, scimTokens.organizationId)))
    .where(eq(scimTokens.tokenHash, tokenHash));
  return row ?? null;
}

/** Records use at most once a minute per token, whichever instance serves the request. */
export async function touchScimToken(db: Tx, id: string) {
  await db
    .update(scimTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(scimTokens.id, id), or(isNull(scimTokens.lastUsedAt), sql`${scimTokens.lastUsedAt} < now() - interval '1 minute'`)));
}

export async function revokeScimToken(db: Tx, organizationId: string, id: string) {
  const [row] = await db
    .update(scimTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(scimTokens.organizationId, organizationId), eq(scimTokens.id, id), isNull(scimTokens.revokedAt)))
    .returning(listColumns);
  return row ?? null;
}

export async function findScimTokens(db: Tx, organizationId: string) {
  return db.select(listColumns).from(scimTokens).where(eq(scimTokens.organizationId, organizationId)).orderBy(desc(scimTokens.createdAt));
}
