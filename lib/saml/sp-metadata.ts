import type { Tx } from '@/db';
import { getConnectionById } from '@/db/queries/connections';
import { getEnv } from '@/lib/env';
import { readSamlConfig, type SamlConfig } from './config';
import { bindings } from './idp-metadata';
import { nameIdFormats } from './name-id-formats';
import { escapeXml, ns } from './xml';

export { nameIdFormats };

/** This Roster's public base URL (NEXTAUTH_URL), without a trailing slash. */
export function appUrl(): string {
  return (getEnv().NEXTAUTH_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
}

export type SpUrls = { entityId: string; acsUrl: string; metadataUrl: string; loginUrl: string };

/** The service provider's identity for one connection: each connection is its own SP. */
export function spUrls(baseUrl: string, connectionId: string): SpUrls {
  const base = `${baseUrl.replace(/\/+$/, '')}/api/saml/${connectionId}`;
  return { entityId: `${base}/metadata`, acsUrl: `${base}/acs`, metadataUrl: `${base}/metadata`, loginUrl: `${base}/login` };
}

/** The SP metadata an IdP admin imports: entity ID, ACS (HTTP-POST) and the NameID formats accepted. */
export function buildSpMetadata(sp: SpUrls, config: Pick<SamlConfig, 'wantAssertionsSigned'> | null): string {
  const formats = [nameIdFormats.persistent, nameIdFormats.email, nameIdFormats.unspecified]
    .map((f) => `    <md:NameIDFormat>${f}</md:NameIDFormat>`)
    .join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<md:EntityDescriptor xmlns:md="${ns.md}" entityID="${escapeXml(sp.entityId)}">`,
    `  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="${config?.wantAssertionsSigned ?? true}" protocolSupportEnumeration="${ns.samlp}">`,
    formats,
    `    <md:AssertionConsumerService Binding="${bindings.post}" Location="${escapeXml(sp.acsUrl)}" index="0" isDefault="true"/>`,
    '  </md:SPSSODescriptor>',
    '</md:EntityDescriptor>',
    '',
  ].join('\n');
}

/** The SP metadata of one SAML connection, or null when there is no such connection. */
export async function getSpMetadata(db: Tx, connectionId: string, baseUrl: string): Promise<string | null> {
  const connection = await getConnectionById(db, connectionId);
  if (!connection || connection.protocol !== 'saml') return null;
  return buildSpMetadata(spUrls(baseUrl, connection.id), readSamlConfig(connection.samlConfig));
}
