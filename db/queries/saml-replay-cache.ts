import { sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { samlReplayCache } from '@/db/schema';

/**
 * Records an assertion ID as used. False when it was already there: a replay.
 * INSERT … ON CONFLICT DO NOTHING on (connection, assertion ID) decides it across instances.
 */
export async function markAssertionUsed(db: Tx, values: { connectionId: string; assertionId: string; expiresAt: Date }): Promise<boolean> {
  const rows = await db
    .insert(samlReplayCache)
    .values(values)
    .onConflictDoNothing({ target: [samlReplayCache.connectionId, samlReplayCache.assertionId] })
    .returning({ assertionId: samlReplayCache.assertionId });
  return rows.length === 1;
}

/**
 * Deletes up to `limit` entries of assertions that would be refused as expired anyway
 * (saml_replay_cache_expires_idx), skipping rows another purge is deleting. Returns how many went.
 */
export async function deleteExpiredReplayEntries(db: Tx, now: Date, limit: number) {
  // A CTE, so the locking select runs once (see deleteExpiredSamlRequests).
  const rows = await db.execute<{ assertion_id: string }>(sql`
    with doomed as (
      select connection_id, assertion_id from ${samlReplayCache}
      where ${samlReplayCache.expiresAt} < ${now.toISOString()}::timestamptz
      limit ${limit} for update skip locked
    )
    delete from ${samlReplayCache} c using doomed
    where c.connection_id = doomed.connection_id and c.assertion_id = doomed.assertion_id
    returning c.assertion_id`);
  return rows.length;
}

/** How many entries deleteExpiredReplayEntries would delete (dry runs of the housekeeping job). */
export async function countExpiredReplayEntries(db: Tx, now: Date) {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from ${samlReplayCache} where ${samlReplayCache.expiresAt} < ${now.toISOString()}::timestamptz`);
  return row?.n ?? 0;
}
