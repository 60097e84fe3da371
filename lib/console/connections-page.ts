import type { Database } from '@/db';
import { findAuditEvents } from '@/db/queries/audit-events';
import { findConnectionSummaries, getConnectionById, getConnectionImpact } from '@/db/queries/connections';
import { findRoles } from '@/db/queries/roles';
import { certificateExpiry } from '@/lib/connections/certificate-expiry';
import { claimMappingEntries } from '@/lib/connections/connection-input';
import { idpValues } from '@/lib/connections/idp-values';
import { refreshSamlMetadataJob } from '@/lib/jobs/definitions/refresh-saml-metadata';
import { describeSchedule } from '@/lib/jobs/describe-schedule';
import { describeDeleteImpact } from '@/lib/lifecycle/connection/delete-connection';
import { readSamlConfig } from '@/lib/saml/config';

/**
 * The connection pages' data, without Next.js: plain DTOs (never the sealed client secret, which
 * db/queries/connections.ts does not even select). Another organization's connection is null (404).
 */
export async function loadConnectionsList(db: Database, organizationId: string, now = new Date()) {
  const rows = await findConnectionSummaries(db, organizationId);
  return rows.map((c) => {
    const saml = c.protocol === 'saml' ? readSamlConfig(c.samlConfig) : null;
    const certificates = saml ? certificateExpiry(saml.certificates, now) : [];
    return {
      id: c.id,
      name: c.name,
      protocol: c.protocol,
      enabled: c.enabled,
      allowedDomains: c.allowedDomains,
      accounts: c.accounts,
      lastSignInAt: c.lastSignInAt,
      certificateWarning: certificates.find((x) => x.state === 'expired') ?? certificates.find((x) => x.state === 'soon') ?? null,
    };
  });
}
export type ConnectionListRow = Awaited<ReturnType<typeof loadConnectionsList>>[number];

export async function loadConnectionPage(db: Database, organizationId: string, id: string, now = new Date()) {
  const c = await getConnectionById(db, id);
  if (!c || c.organizationId !== organizationId) return null;
  const [impact, roles, refreshes] = await Promise.all([
    getConnectionImpact(db, organizationId, c.id),
    findRoles(db, organizationId),
    c.protocol === 'saml' ? findAuditEvents(db, organizationId, { targetId: c.id, actions: ['connection.metadata_refreshed', 'connection.metadata_refresh_failed'], limit: 1 }) : [],
  ]);
  const saml = c.protocol === 'saml' ? readSamlConfig(c.samlConfig) : null;
  return {
    connection: {
      id: c.id,
      name: c.name,
      protocol: c.protocol,
      enabled: c.enabled,
      issuer: c.issuer,
      clientId: c.clientId,
      allowedDomains: c.allowedDomains,
      jitEnabled: c.jitEnabled,
      requiredAttributes: c.requiredAttributes,
      defaultRoles: c.defaultRoles,
      mapping: claimMappingEntries(c.claimMapping),
      createdAt: c.createdAt,
    },
    saml: saml
      ? { idpEntityId: saml.idpEntityId, ssoUrl: saml.ssoUrl, allowIdpInitiated: saml.allowIdpInitiated, certificates: certificateExpiry(saml.certificates, now), metadataUrl: saml.metadataUrl ?? null, lastRefresh: toLastRefresh(refreshes[0]), refreshSchedule: describeSchedule(refreshSamlMetadataJob.schedule) }
      : null,
    samlBroken: c.protocol === 'saml' && !saml,
    idp: idpValues(c),
    impact,
    deleteImpact: describeDeleteImpact(impact),
    roleKeys: roles.map((r) => r.key),
  };
}
export type ConnectionPage = NonNullable<Awaited<ReturnType<typeof loadConnectionPage>>>;

export type LastRefresh = { at: Date; outcome: 'updated' | 'unchanged' | 'failed' | 'refused'; summary: string; by: string };

/** The connection's last metadata refresh, from its audit event (refreshes that change nothing are recorded too). */
function toLastRefresh(event: Awaited<ReturnType<typeof findAuditEvents>>[number] | undefined): LastRefresh | null {
  if (!event) return null;
  const data = (event.data ?? {}) as { changed?: string[]; certificatesAdded?: unknown[]; certificatesRemoved?: unknown[]; reason?: string; message?: string };
  const by = event.actorType === 'system' ? 'the daily job' : event.actorType === 'cli' ? 'the CLI' : 'an administrator';
  if (event.action === 'connection.metadata_refresh_failed') {
    return { at: event.createdAt, outcome: data.reason === 'entity_id_changed' ? 'refused' : 'failed', summary: data.message ?? 'The refresh failed.', by };
  }
  const changed = data.changed ?? [];
  if (changed.length === 0) return { at: event.createdAt, outcome: 'unchanged', summary: 'The metadata was unchanged.', by };
  const n = (list: unknown[] | undefined, verb: string) => (list?.length ? `${list.length} certificate${list.length === 1 ? '' : 's'} ${verb}` : '');
  const parts = [n(data.certificatesAdded, 'added'), n(data.certificatesRemoved, 'removed'), changed.includes('ssoUrl') ? 'SSO URL changed' : '', changed.includes('ssoBinding') ? 'SSO binding changed' : ''].filter(Boolean);
  return { at: event.createdAt, outcome: 'updated', summary: `${parts.join(', ')}.`, by };
}
