import type { Tx } from '@/db';
import { findConnectionsByOrganization } from '@/db/queries/connections';
import { readOrganizationSettings, type OrganizationSettings } from '@/lib/governance/organization-settings';
import { readSamlConfig } from '@/lib/saml/config';

export type SamlConnectionSetting = { id: string; name: string; enabled: boolean; allowIdpInitiated: boolean };
export type SettingsPage = { settings: OrganizationSettings; samlConnections: SamlConnectionSetting[] };

/** The settings page: the organization's settings, and its SAML connections with their IdP-initiated switch. */
export async function loadSettingsPage(db: Tx, organizationId: string): Promise<SettingsPage> {
  const [settings, connections] = await Promise.all([readOrganizationSettings(db, organizationId), findConnectionsByOrganization(db, organizationId)]);
  const samlConnections = connections
    .filter((c) => c.protocol === 'saml')
    .map((c) => ({ id: c.id, name: c.name, enabled: c.enabled, allowIdpInitiated: readSamlConfig(c.samlConfig)?.allowIdpInitiated ?? false }));
  return { settings, samlConnections };
}
