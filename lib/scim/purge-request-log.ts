import type { Database } from '@/db';
import { countScimRequestsBefore, deleteScimRequestsBefore, deleteScimRequestsPastNewest, findScimRequestsOverCap } from '@/db/queries/scim-requests';

/** The SCIM request log keeps this many days, and at most this many rows per organization (the newest). */
export const SCIM_REQUEST_RETENTION_DAYS = 14;
export const SCIM_REQUESTS_PER_ORGANIZATION = 10_000;
const BATCH = 5000;
const DAY_MS = 86_400_000;

/**
 * Housekeeping: deletes logged SCIM requests older than SCIM_REQUEST_RETENTION_DAYS (in batches, so
 * no statement holds many locks), then, in each organization holding more than
 * SCIM_REQUESTS_PER_ORGANIZATION, all but its newest. A dry run counts both and deletes nothing.
 */
export async function purgeScimRequestLog(input: { db: Database; now: Date; dryRun?: boolean; keep?: number }) {
  const keep = input.keep ?? SCIM_REQUESTS_PER_ORGANIZATION;
  const cutoff = new Date(input.now.getTime() - SCIM_REQUEST_RETENTION_DAYS * DAY_MS);
  if (input.dryRun) {
    const old = await countScimRequestsBefore(input.db, cutoff);
    // Past the cap counts what the age sweep would leave (rows are over the cap only among the recent ones).
    const over = await findScimRequestsOverCap(input.db, keep, cutoff);
    return { expired: old, overCap: over.reduce((n, o) => n + o.over, 0), cutoff };
  }
  let expired = 0;
  for (let n = BATCH; n === BATCH; expired += n) n = await deleteScimRequestsBefore(input.db, cutoff, BATCH);
  let overCap = 0;
  for (const { organizationId } of await findScimRequestsOverCap(input.db, keep)) overCap += await deleteScimRequestsPastNewest(input.db, organizationId, keep);
  return { expired, overCap, cutoff };
}
