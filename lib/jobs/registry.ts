import { AppError } from '@/lib/errors';
import { accountEndDateJob } from './definitions/account-end-date';
import { dormancyJob } from './definitions/dormancy';
import { purgeDeprovisionedAccountsJob } from './definitions/purge-deprovisioned-accounts';
import { purgeEndedSessionsJob } from './definitions/purge-ended-sessions';
import { purgeSamlStateJob } from './definitions/purge-saml-state';
import { purgeScimRequestsJob } from './definitions/purge-scim-requests';
import { reconcileJob } from './definitions/reconcile';
import { refreshSamlMetadataJob } from './definitions/refresh-saml-metadata';
import { roleExpiryJob } from './definitions/role-expiry';
import type { JobDefinition } from './types';

/**
 * Every job Roster runs: the engine (lib/jobs/engine.ts) makes one pg-boss queue, schedule and
 * worker for each, and `roster jobs` lists and runs them. Adding a job is one line here.
 */
export const jobDefinitions: readonly JobDefinition[] = [
  // housekeeping
  purgeSamlStateJob,
  purgeEndedSessionsJob,
  purgeDeprovisionedAccountsJob,
  purgeScimRequestsJob,
  // access that ends by itself
  roleExpiryJob,
  accountEndDateJob,
  // accounts nobody uses
  dormancyJob,
  // accounts the authoritative source does not know
  reconcileJob,
  // IdP key rollovers (SAML connections set up from a metadata URL)
  refreshSamlMetadataJob,
];

export function getJobDefinition(name: string, definitions: readonly JobDefinition[] = jobDefinitions): JobDefinition | null {
  return definitions.find((d) => d.name === name) ?? null;
}

export function getJobDefinitionOrThrow(name: string, definitions: readonly JobDefinition[] = jobDefinitions): JobDefinition {
  const found = getJobDefinition(name, definitions);
  if (!found) throw new AppError('not_found', `no job ${name} (roster jobs list shows them: ${definitions.map((d) => d.name).join(', ')})`);
  return found;
}
