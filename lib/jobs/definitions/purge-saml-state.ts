import { countExpiredSamlState, purgeExpiredSamlState } from '@/lib/saml/purge-expired-state';
import type { JobDefinition } from '../types';

/**
 * Housekeeping: every expired SAML AuthnRequest and replay-cache entry (sign-ins already shed
 * them a batch at a time; this clears the rest). Deployment-wide: the rows belong to connections
 * of every organization, and the purge is one indexed sweep.
 */
export const purgeSamlStateJob: JobDefinition = {
  name: 'purge-saml-state',
  summary: 'Delete expired SAML requests and replay-cache entries',
  scope: 'deployment',
  schedule: '*/15 * * * *',
  async run({ db, now, dryRun }) {
    const found = dryRun ? await countExpiredSamlState(db, now) : await purgeExpiredSamlState(db, now);
    return { counts: { delete_request: found.requests, delete_replay_entry: found.assertions } };
  },
};
