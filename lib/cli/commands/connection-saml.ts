import { readFileSync } from 'node:fs';
import { buildSamlConnectionConfig, MAX_METADATA_BYTES } from '@/lib/saml/idp-metadata';
import { appUrl, spUrls } from '@/lib/saml/sp-metadata';
import { UsageError, flag, optionalString, stringList, type OptionValues, type Runner } from '../command';
import { details } from '../format';
import { connectionUrls, parseCommonInput, storeConnection } from './connection-common';

export const samlUsage: [string, string][] = [
  ['--metadata <file>', 'SAML: the IdP metadata XML'],
  ['--metadata-url <url>', 'SAML: fetch the IdP metadata once, now'],
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

function readFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${what} ${path}`);
  }
}

async function fetchMetadata(url: string): Promise<string> {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new UsageError('--metadata-url must be an http(s) URL');
  const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new UsageError(`fetching ${url} answered ${res.status}`);
  const text = await res.text();
  if (Buffer.byteLength(text) > MAX_METADATA_BYTES) throw new UsageError('the metadata document is too large');
  return text;
}

/** `connection create --protocol saml`: from IdP metadata (file or URL) and/or manual settings. */
export function samlRunner(slug: string, values: OptionValues): Runner {
  const common = parseCommonInput(values);
  const file = optionalString(values, 'metadata');
  const url = optionalString(values, 'metadata-url');
  const certificates = stringList(values, 'certificate').map((f) => readFile(f, 'certificate'));
  const settings = {
    ...(optionalString(values, 'entity-id') && !file && !url ? { idpEntityId: optionalString(values, 'entity-id') } : {}),
    ...(optionalString(values, 'sso-url') ? { ssoUrl: optionalString(values, 'sso-url') } : {}),
    ...(certificates.length > 0 ? { certificates } : {}),
    allowIdpInitiated: flag(values, 'allow-idp-initiated'),
    allowSha1: flag(values, 'allow-sha1'),
  };
  if (!file && !url && !settings.ssoUrl) throw new UsageError('give --metadata FILE, --metadata-url URL, or --entity-id, --sso-url and --certificate');
  const fileXml = file ? readFile(file, 'metadata file') : undefined;
  return async ({ db }) => {
    const metadataXml = fileXml ?? (url ? await fetchMetadata(url) : undefined);
    const entityId = metadataXml ? optionalString(values, 'entity-id') : undefined;
    const { samlMetadata, samlConfig } = buildSamlConnectionConfig({ metadataXml, entityId, settings });
    const { org, connection } = await storeConnection(db, slug, { ...common, protocol: 'saml', samlMetadata, samlConfig }, {
      idpEntityId: samlConfig.idpEntityId,
      ssoUrl: samlConfig.ssoUrl,
    });
    const sp = spUrls(appUrl(), connection.id);
    const { signInUrl } = connectionUrls(connection.id);
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
