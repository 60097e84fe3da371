import { readFileSync } from 'node:fs';
import { idpValues } from '@/lib/connections/idp-values';
import { inTransaction } from '@/lib/lifecycle/context';
import { createConnection } from '@/lib/lifecycle/connection/create-connection';
import { metadataUrlProblem, type SamlConfigInput } from '@/lib/saml/config';
import { fetchSamlMetadata } from '@/lib/saml/fetch-metadata';
import { buildSamlConnectionConfig } from '@/lib/saml/idp-metadata';
import { replaceSamlConfig } from '@/lib/saml/replace-config';
import { UsageError, flag, optionalString, stringList, type OptionValues, type Runner } from '../command';
import { details } from '../format';
import { cliActor, getOrganizationOrThrow } from '../resolve';
import { parseCommonInput } from './connection-common';

export const samlUsage: [string, string][] = [
  ['--metadata <file>', 'SAML: the IdP metadata XML'],
  ['--metadata-url <url>', 'SAML: fetch the IdP metadata now, and keep the URL: refresh-saml-metadata reads it again daily'],
  ['--entity-id <id>', 'SAML: the IdP entity ID (manual set-up, or to pick one from metadata)'],
  ['--sso-url <url>', 'SAML: the IdP single sign-on URL (manual set-up)'],
  ['--certificate <file>', 'SAML: an IdP signing certificate, PEM; repeat during a key rollover'],
  ['--allow-idp-initiated', 'SAML: accept IdP-initiated sign-in (off by default)'],
  ['--allow-sha1', 'SAML: accept SHA-1 signatures (off by default; avoid)'],
];

export const samlOptions = {
  metadata: { type: 'string' },
  'metadata-url': { type: 'string' },
  'entity-id': { type: 'string' },
  'sso-url': { type: 'string' },
  certificate: { type: 'string', multiple: true },
  'allow-idp-initiated': { type: 'boolean' },
  'allow-sha1': { type: 'boolean' },
} as const;

export function readFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${what} ${path}`);
  }
}

/** `--metadata-url`: checked before any database is opened (https; http only to this machine). */
function metadataUrlOption(values: OptionValues): string | undefined {
  const url = optionalString(values, 'metadata-url');
  const problem = url ? metadataUrlProblem(url) : null;
  if (problem) throw new UsageError(`--metadata-url ${problem}`);
  return url;
}

/** `connection create --protocol saml`: from IdP metadata (file or URL) and/or manual settings. */
export function samlRunner(slug: string, values: OptionValues): Runner {
  const common = parseCommonInput(values);
  const file = optionalString(values, 'metadata');
  const url = metadataUrlOption(values);
  const certificates = stringList(values, 'certificate').map((f) => readFile(f, 'certificate'));
  const settings = {
    ...(url && !file ? { metadataUrl: url } : {}),
    ...(optionalString(values, 'entity-id') && !file && !url ? { idpEntityId: optionalString(values, 'entity-id') } : {}),
    ...(optionalString(values, 'sso-url') ? { ssoUrl: optionalString(values, 'sso-url') } : {}),
    ...(certificates.length > 0 ? { certificates } : {}),
    allowIdpInitiated: flag(values, 'allow-idp-initiated'),
    allowSha1: flag(values, 'allow-sha1'),
  };
  if (!file && !url && !settings.ssoUrl) throw new UsageError('give --metadata FILE, --metadata-url URL, or --entity-id, --sso-url and --certificate');
  const fileXml = file ? readFile(file, 'metadata file') : undefined;
  return async ({ db }) => {
    const metadataXml = fileXml ?? (url ? await fetchSamlMetadata(url) : undefined);
    const entityId = metadataXml ? optionalString(values, 'entity-id') : undefined;
    const { samlMetadata, samlConfig } = buildSamlConnectionConfig({ metadataXml, entityId, settings });
    const { org, connection } = await inTransaction(db, { actor: cliActor() }, async (tx, ctx) => {
      const org = await getOrganizationOrThrow(tx, slug);
      return { org, connection: await createConnection(tx, { organizationId: org.id, ...common, protocol: 'saml', samlMetadata, samlConfig }, ctx) };
    });
    const urls = idpValues(connection);
    if (urls.protocol !== 'saml') throw new Error('a SAML connection has SAML values');
    const sp = { entityId: urls.spEntityId, acsUrl: urls.acsUrl, metadataUrl: urls.spMetadataUrl };
    const { signInUrl } = urls;
    return {
      data: { ...connection, spEntityId: sp.entityId, acsUrl: sp.acsUrl, spMetadataUrl: sp.metadataUrl, signInUrl },
      text: [
        `Created SAML connection "${connection.name}" for ${org.slug}`,
        details([
          ['id', connection.id],
          ['IdP entity ID', samlConfig.idpEntityId],
          ['domains', connection.allowedDomains],
          ['SP entity ID', sp.entityId],
          ['ACS URL', sp.acsUrl],
          ['SP metadata URL', sp.metadataUrl],
          ['sign-in URL', signInUrl],
        ]),
        'Give the SP metadata URL (or the entity ID and ACS URL) to your identity provider.',
      ].join('\n'),
    };
  };
}

/**
 * `connection update` of a SAML connection: new metadata (file or URL) replaces the IdP's entity
 * ID, SSO URL and certificates; manual flags change one value each; the other stored settings stay.
 * The metadata URL is kept from `--metadata-url` (the daily refresh reads it); `--metadata FILE` and
 * `--no-metadata-url` drop it (the refresh stops); manual flags keep it.
 * Returns a function that fetches (if a URL was given) and builds the new config, or null when no
 * SAML flag was given.
 */
export function samlChanges(values: OptionValues) {
  const file = optionalString(values, 'metadata');
  const url = metadataUrlOption(values);
  if (file && url) throw new UsageError('give --metadata or --metadata-url, not both');
  if (url && flag(values, 'no-metadata-url')) throw new UsageError('give --metadata-url or --no-metadata-url, not both');
  const dropUrl = Boolean(file) || flag(values, 'no-metadata-url');
  const certificates = stringList(values, 'certificate').map((f) => readFile(f, 'certificate'));
  const manual: Partial<SamlConfigInput> = {
    ...(optionalString(values, 'entity-id') && !file && !url ? { idpEntityId: optionalString(values, 'entity-id') } : {}),
    ...(optionalString(values, 'sso-url') ? { ssoUrl: optionalString(values, 'sso-url') } : {}),
    ...(certificates.length > 0 ? { certificates } : {}),
    ...(flag(values, 'allow-idp-initiated') ? { allowIdpInitiated: true } : flag(values, 'no-idp-initiated') ? { allowIdpInitiated: false } : {}),
    ...(flag(values, 'allow-sha1') ? { allowSha1: true } : flag(values, 'no-sha1') ? { allowSha1: false } : {}),
  };
  const fileXml = file ? readFile(file, 'metadata file') : undefined;
  if (!fileXml && !url && !dropUrl && Object.keys(manual).length === 0) return null;
  return async (stored: unknown) => {
    const metadataXml = fileXml ?? (url ? await fetchSamlMetadata(url) : undefined);
    return replaceSamlConfig(stored, { metadataXml, entityId: optionalString(values, 'entity-id'), manual, metadataUrl: url ?? (dropUrl ? null : undefined) });
  };
}
