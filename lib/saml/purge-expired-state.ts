import type { Tx } from '@/db';
import { countExpiredReplayEntries, deleteExpiredReplayEntries } from '@/db/queries/saml-replay-cache';
import { countExpiredSamlRequests, deleteExpiredSamlRequests, evictOldestSamlRequests } from '@/db/queries/saml-requests';

/**
 * SAML state is written by unauthenticated requests: every GET of /api/saml/<id>/login adds an
 * AuthnRequest row, every accepted assertion a replay-cache row. Three things keep that bounded:
 *
 * - each login start deletes up to one batch of expired requests, and each replay-cache insert one
 *   batch of expired entries (index-backed, skipping rows a concurrent purge holds), so the tables
 *   shed expired rows faster than they gain new ones, with no scheduler;
 * - each login start keeps only the newest MAX_OUTSTANDING_SAML_REQUESTS of its connection, so a
 *   flood of GETs cannot grow the table past that per connection: it evicts the oldest outstanding
 *   requests (a sign-in whose request was evicted is refused as saml_in_response_to and starts again);
 * - purgeExpiredSamlState, for the periodic job a scheduler will run, deletes everything expired.
 */
export const SAML_STATE_PURGE_BATCH = 100;

/** Far above the sign-ins one connection has in flight (started, not yet answered) within the 15 minutes a request lives. */
export const MAX_OUTSTANDING_SAML_REQUESTS = 5000;

/** After inserting an AuthnRequest: sheds expired requests, then caps the connection's outstanding ones. */
export async function boundSamlRequests(db: Tx, connectionId: string, now: Date, maxOutstanding = MAX_OUTSTANDING_SAML_REQUESTS) {
  const expired = await deleteExpiredSamlRequests(db, now, SAML_STATE_PURGE_BATCH);
  const evicted = await evictOldestSamlRequests(db, connectionId, maxOutstanding);
  return { expired, evicted };
}

/** After recording an assertion ID: sheds one batch of expired replay-cache entries. */
export function shedExpiredReplayEntries(db: Tx, now: Date) {
  return deleteExpiredReplayEntries(db, now, SAML_STATE_PURGE_BATCH);
}

/**
 * Housekeeping for a periodic job: every unanswered AuthnRequest past its expiry, and every
 * replay-cache entry for an assertion that would be refused as expired anyway, in batches so no
 * statement holds many locks. Safe to run on any instance, any time, alongside sign-ins.
 */
export async function purgeExpiredSamlState(db: Tx, now = new Date(), batch = 1000) {
  let requests = 0;
  let assertions = 0;
  for (let n = batch; n === batch; requests += n) n = await deleteExpiredSamlRequests(db, now, batch);
  for (let n = batch; n === batch; assertions += n) n = await deleteExpiredReplayEntries(db, now, batch);
  return { requests, assertions };
}

/** What purgeExpiredSamlState would delete at `now` (dry runs). */
export async function countExpiredSamlState(db: Tx, now: Date) {
  const [requests, assertions] = await Promise.all([countExpiredSamlRequests(db, now), countExpiredReplayEntries(db, now)]);
  return { requests, assertions };
}
