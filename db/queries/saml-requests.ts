import { and, eq, gt, lt } from 'drizzle-orm';
import type { Tx } from '@/db';
import { samlRequests } from '@/db/schema';

export async function insertSamlRequest(
  db: Tx,
  values: { id: string; organizationId: string; connectionId: string; relayState: string | null; browserBindingHash: string; expiresAt: Date },
) {
  await db.insert(samlRequests).values(values);
}

/** The browser binding of an outstanding AuthnRequest of this connection, without taking it; null when there is none. */
export async function findSamlRequestBinding(db: Tx, connectionId: string, id: string, now: Date) {
  const [row] = await db
    .select({ browserBindingHash: samlRequests.browserBindingHash })
    .from(samlRequests)
    .where(and(eq(samlRequests.id, id), eq(samlRequests.connectionId, connectionId), gt(samlRequests.expiresAt, now)));
  return row ?? null;
}

/**
 * Takes the outstanding AuthnRequest a response answers, if it is this connection's, bound to this
 * browser and not expired. DELETE … RETURNING: of several responses (or instances) racing for one
 * request, only one gets it.
 */
export async function consumeSamlRequest(db: Tx, connectionId: string, id: string, browserBindingHash: string, now: Date) {
  const [row] = await db
    .delete(samlRequests)
    .where(
      and(
        eq(samlRequests.id, id),
        eq(samlRequests.connectionId, connectionId),
        eq(samlRequests.browserBindingHash, browserBindingHash),
        gt(samlRequests.expiresAt, now),
      ),
    )
    .returning({ id: samlRequests.id, organizationId: samlRequests.organizationId, relayState: samlRequests.relayState });
  return row ?? null;
}

/** Housekeeping for a periodic job: requests nobody answered. */
export async function deleteExpiredSamlRequests(db: Tx, now: Date) {
  const rows = await db.delete(samlRequests).where(lt(samlRequests.expiresAt, now)).returning({ id: samlRequests.id });
  return rows.length;
}
