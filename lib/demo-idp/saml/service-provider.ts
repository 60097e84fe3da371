import { inflateRawSync } from 'node:zlib';
import { child, ns, parseXmlStrict, text } from '@/lib/saml/xml';
import { HttpError } from '../http';

const MAX_REQUEST_XML_BYTES = 64 * 1024;
const MAX_METADATA_BYTES = 256 * 1024;

export type ServiceProvider = { entityId: string; metadataXml: string };

/**
 * The service provider an AuthnRequest (HTTP-Redirect binding) comes from. Roster's entity ID is
 * the URL of its SP metadata, so the IdP reads the metadata there, as an IdP admin importing it by
 * URL would; only from origins the IdP was told to trust, so a crafted request can't make it fetch
 * anything else.
 */
export async function findServiceProvider(samlRequest: string, trustedOrigins: readonly string[]): Promise<ServiceProvider> {
  const entityId = readRequestIssuer(samlRequest);
  if (!entityId) throw new HttpError(400, 'The SAMLRequest is not a readable AuthnRequest with an Issuer.');
  const origin = URL.canParse(entityId) ? new URL(entityId).origin : null;
  if (!origin || !trustedOrigins.some((trusted) => new URL(trusted).origin === origin)) {
    throw new HttpError(403, `This demo IdP does not serve the service provider ${entityId}.`);
  }
  const res = await fetch(entityId, { redirect: 'error', signal: AbortSignal.timeout(5000) }).catch(() => null);
  const metadataXml = res?.ok ? await res.text() : null;
  if (!metadataXml || Buffer.byteLength(metadataXml) > MAX_METADATA_BYTES) {
    throw new HttpError(502, `Could not read the service provider's metadata at ${entityId} (HTTP ${res?.status ?? 'error'}).`);
  }
  return { entityId, metadataXml };
}

/** The Issuer of a deflated, base64 AuthnRequest, or null when it can't be read. */
export function readRequestIssuer(samlRequest: string): string | null {
  try {
    const xml = inflateRawSync(Buffer.from(samlRequest, 'base64'), { maxOutputLength: MAX_REQUEST_XML_BYTES }).toString('utf8');
    return text(child(parseXmlStrict(xml).documentElement, ns.saml, 'Issuer'));
  } catch {
    return null;
  }
}
