import type { Tx } from '@/db';
import { deleteExpiredReplayEntries } from '@/db/queries/saml-replay-cache';
import { deleteExpiredSamlRequests } from '@/db/queries/saml-requests';

/**
 * Housekeeping for a periodic job: unanswered AuthnRequests past their expiry, and replay-cache
 * entries for assertions that would be refused as expired anyway. Safe to run on any instance, any time.
 */
export async function purgeExpiredSamlState(db: Tx, now = new Date()) {
  const requests = await deleteExpiredSamlRequests(db, now);
  const assertions = await deleteExpiredReplayEntries(db, now);
  return { requests, assertions };
}
