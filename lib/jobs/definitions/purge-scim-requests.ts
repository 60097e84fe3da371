import { purgeScimRequestLog, SCIM_REQUEST_RETENTION_DAYS, SCIM_REQUESTS_PER_ORGANIZATION } from '@/lib/scim/purge-request-log';
import type { JobDefinition } from '../types';

/** Housekeeping: the SCIM request log keeps SCIM_REQUEST_RETENTION_DAYS, and the newest SCIM_REQUESTS_PER_ORGANIZATION rows of each organization. */
export const purgeScimRequestsJob: JobDefinition = {
  name: 'purge-scim-requests',
  summary: `Delete logged SCIM requests older than ${SCIM_REQUEST_RETENTION_DAYS} days or past the newest ${SCIM_REQUESTS_PER_ORGANIZATION.toLocaleString('en-US')} of an organization`,
  scope: 'deployment',
  schedule: '23 * * * *',
  async run({ db, now, dryRun }) {
    const { expired, overCap, cutoff } = await purgeScimRequestLog({ db, now, dryRun });
    return { counts: { delete_scim_request: expired, delete_scim_request_over_cap: overCap }, details: { loggedBefore: cutoff.toISOString() } };
  },
};
