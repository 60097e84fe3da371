import { lt } from 'drizzle-orm';
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

/** Housekeeping for a periodic job: assertions that would be refused as expired anyway. */
export async function deleteExpiredReplayEntries(db: Tx, now: Date) {
  const rows = await db.delete(samlReplayCache).where(lt(samlReplayCache.expiresAt, now)).returning({ assertionId: samlReplayCache.assertionId });
  return rows.length;
}
