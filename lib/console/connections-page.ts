import type { Database } from '@/db';
import { findConnectionSummaries, getConnectionById, getConnectionImpact } from '@/db/queries/connections';
import { findRoles } from '@/db/queries/roles';
import { certificateExpiry } from '@/lib/connections/certificate-expiry';
import { claimMappingEntries } from '@/lib/connections/connection-input';
import { idpValues } from '@/lib/connections/idp-values';
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
  const [impact, roles] = await Promise.all([getConnectionImpact(db, organizationId, c.id), findRoles(db, organizationId)]);
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
    saml: saml ? { idpEntityId: saml.idpEntityId, ssoUrl: saml.ssoUrl, allowIdpInitiated: saml.allowIdpInitiated, certificates: certificateExpiry(saml.certificates, now) } : null,
    samlBroken: c.protocol === 'saml' && !saml,
    idp: idpValues(c),
    impact,
    deleteImpact: describeDeleteImpact(impact),
    roleKeys: roles.map((r) => r.key),
  };
}
export type ConnectionPage = NonNullable<Awaited<ReturnType<typeof loadConnectionPage>>>;
