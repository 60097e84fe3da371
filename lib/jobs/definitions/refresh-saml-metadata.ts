import { findOrganizationsWithSamlMetadataUrls, findSamlConnectionsWithMetadataUrl } from '@/db/queries/connections';
import { AppError } from '@/lib/errors';
import { refreshSamlMetadata, type RefreshOutcome } from '@/lib/lifecycle/connection/refresh-saml-metadata';
import type { FetchMetadataOptions } from '@/lib/saml/fetch-metadata';
import type { JobDefinition, JobInput, JobResult } from '../types';

export type ConnectionRefresh = { connectionId: string; name: string; outcome: RefreshOutcome; reason: string | null; message: string };

/**
 * Reads again the metadata of each enabled SAML connection of the organization that keeps a
 * metadata URL (lib/lifecycle/connection/refresh-saml-metadata.ts: rotated certificates and a moved
 * SSO URL applied, another entity ID refused), one unit of work per connection with its audit event
 * carrying the run id. One connection failing (its IdP down, broken metadata, or an error of ours)
 * is counted and described, and the others go on. A dry run fetches and compares, and writes nothing.
 */
export async function runSamlMetadataRefresh(input: JobInput, options: { fetch?: FetchMetadataOptions } = {}): Promise<JobResult> {
  const organizationId = input.organizationId;
  if (!organizationId) throw new AppError('invalid_input', 'refresh-saml-metadata runs for one organization.');
  const connections = await findSamlConnectionsWithMetadataUrl(input.db, organizationId);
  const refreshed: ConnectionRefresh[] = [];
  for (const c of connections) {
    try {
      const r = await refreshSamlMetadata(input.db, { organizationId, connectionId: c.id, runId: input.runId, dryRun: input.dryRun }, { actor: input.actor, now: input.now, fetch: options.fetch });
      refreshed.push({ connectionId: c.id, name: c.name, outcome: r.outcome, reason: r.reason, message: r.message });
    } catch (error) {
      // Not a refresh failure of the IdP's (those are returned and audited): the connection changed meanwhile, or a bug.
      refreshed.push({ connectionId: c.id, name: c.name, outcome: 'failed', reason: error instanceof AppError ? error.code : 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }
  const counts = { metadata_updated: 0, metadata_unchanged: 0, metadata_failed: 0, metadata_refused: 0 };
  for (const r of refreshed) counts[`metadata_${r.outcome}`] += 1;
  return { counts, details: { connections: refreshed } };
}

export const refreshSamlMetadataJob: JobDefinition = {
  name: 'refresh-saml-metadata',
  summary: 'Read again the IdP metadata of each enabled SAML connection with a metadata URL: rotated certificates and SSO URL applied, another entity ID refused',
  scope: 'organization',
  schedule: '20 4 * * *',
  selectOrganizations: (db) => findOrganizationsWithSamlMetadataUrls(db),
  run: (input) => runSamlMetadataRefresh(input),
};
