import { and, eq, gt, lt, sql } from 'drizzle-orm';
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

/**
 * Deletes up to `limit` requests nobody answered in time (saml_requests_expires_idx). Rows another
 * purge is deleting right now are skipped, not waited for. Returns how many went.
 */
export async function deleteExpiredSamlRequests(db: Tx, now: Date, limit: number) {
  // The locking select is a CTE, so it runs once: as an IN subquery the planner may rescan it per
  // row of the outer scan (with no statistics yet, on a fresh table), locking and re-locking
  // batches until a login start takes seconds.
  const rows = await db.execute<{ id: string }>(sql`
    with doomed as (
      select ${samlRequests.id} as id from ${samlRequests}
      where ${samlRequests.expiresAt} < ${now.toISOString()}::timestamptz
      limit ${limit} for update skip locked
    )
    delete from ${samlRequests} r using doomed where r.id = doomed.id
    returning r.id`);
  return rows.length;
}

/**
 * Keeps only the newest `keep` outstanding requests of one connection and deletes the rest, oldest
 * first. The cutoff (the newest row past `keep`, saml_requests_connection_created_idx: `keep` index
 * entries read) is found without locks; only the rows to delete are locked, and rows another
 * statement holds are skipped, not waited for, so concurrent login starts never deadlock. The
 * cutoff is MATERIALIZED: inlined, the planner could rescan its `keep`-entry walk once per
 * candidate row (seen with a fresh table's missing statistics: seconds of CPU per login start).
 */
export async function evictOldestSamlRequests(db: Tx, connectionId: string, keep: number) {
  const rows = await db.execute<{ id: string }>(sql`
    with cutoff as materialized (
      select created_at, id from ${samlRequests} where connection_id = ${connectionId}
      order by created_at desc, id desc offset ${keep} limit 1
    ), doomed as materialized (
      select r.id from ${samlRequests} r, cutoff c
      where r.connection_id = ${connectionId} and (r.created_at, r.id) <= (c.created_at, c.id)
      for update of r skip locked
    )
    delete from ${samlRequests} where id in (select id from doomed) returning id`);
  return rows.length;
}

/** How many requests deleteExpiredSamlRequests would delete (dry runs of the housekeeping job). */
export async function countExpiredSamlRequests(db: Tx, now: Date) {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(samlRequests).where(lt(samlRequests.expiresAt, now));
  return row?.n ?? 0;
}
