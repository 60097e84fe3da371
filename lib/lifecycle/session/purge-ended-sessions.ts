import type { Database } from '@/db';
import { countEndedSessions, deleteEndedSessions } from '@/db/queries/sessions';

/** Ended sessions are kept this long after they end (for an investigation's window), then deleted. */
export const ENDED_SESSION_RETENTION_DAYS = 30;
const BATCH = 5000;
const DAY_MS = 86_400_000;

/**
 * Housekeeping: deletes sessions that ended (expired, or were revoked) more than
 * ENDED_SESSION_RETENTION_DAYS before `now`, in batches so no statement holds many locks. A live
 * session is never touched, and no account changes: the sign-in and revocation events stay in the
 * audit trail, and an account's activity is kept on the account (last_activity_at), not its sessions.
 */
export async function purgeEndedSessions(input: { db: Database; now: Date; dryRun?: boolean }): Promise<{ deleted: number; cutoff: Date }> {
  const cutoff = new Date(input.now.getTime() - ENDED_SESSION_RETENTION_DAYS * DAY_MS);
  if (input.dryRun) return { deleted: await countEndedSessions(input.db, cutoff), cutoff };
  let deleted = 0;
  for (let n = BATCH; n === BATCH; deleted += n) n = await deleteEndedSessions(input.db, cutoff, BATCH);
  return { deleted, cutoff };
}
