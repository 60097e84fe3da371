import { nameIdFormats } from '@/lib/saml/name-id-formats';
import { nameIdClaimsFor, readAttributes } from '@/lib/saml/read-attributes';
import { attr, child, children, ns, parseXmlStrict, text, XmlRefused } from '@/lib/saml/xml';
import type { Claims } from './map-claims';

/**
 * A sample pasted into the mapping preview, read as a sign-in would read it: an ID token (JWT: the
 * payload only — the signature is NOT checked, this is only a preview), a claims JSON object, or a
 * SAML assertion or Response (XML, or the base64 SAMLResponse a browser posts), whose attributes and
 * NameID are read by lib/saml/read-attributes.ts as at the ACS. Pure and browser-safe: the console
 * runs it as the admin types.
 */
export type SampleKind = 'jwt' | 'json' | 'saml';
export type ParsedSample =
  | { ok: true; kind: SampleKind; protocol: 'oidc' | 'saml'; claims: Claims; notes: string[] }
  | { ok: false; message: string };

export const MAX_SAMPLE_BYTES = 256 * 1024;
const jwtPattern = /^[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*$/;
const notChecked = 'The signature is NOT checked: this is only a preview of the mapping.';

const refused = (message: string): ParsedSample => ({ ok: false, message });

function base64Text(value: string): string | null {
  try {
    const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/').replace(/\s+/g, ''));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

function jsonObject(textValue: string): Claims | null {
  try {
    const value: unknown = JSON.parse(textValue);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Claims) : null;
  } catch {
    return null;
  }
}

function readJwt(token: string): ParsedSample {
  const payload = base64Text(token.split('.')[1]!);
  const claims = payload === null ? null : jsonObject(payload);
  if (!claims) return refused('This looks like a JWT, but its payload (the middle part) is not a base64url-encoded JSON object.');
  return { ok: true, kind: 'jwt', protocol: 'oidc', claims, notes: [`Read the ID token’s payload. ${notChecked}`] };
}

function readSaml(xml: string): ParsedSample {
  let root: Element;
  try {
    root = parseXmlStrict(xml, { allowComments: true }).documentElement;
  } catch (error) {
    return refused(`Not a SAML assertion: ${error instanceof XmlRefused ? error.message : 'the XML cannot be read'}.`);
  }
  const isAssertion = (e: Element) => e.namespaceURI === ns.saml && e.localName === 'Assertion';
  const isResponse = root.namespaceURI === ns.samlp && root.localName === 'Response';
  if (isResponse && !child(root, ns.saml, 'Assertion') && child(root, ns.saml, 'EncryptedAssertion')) {
    return refused('The Response holds an encrypted assertion: paste the decrypted <saml:Assertion> instead (your IdP’s SAML tracer shows it).');
  }
  const assertion = isAssertion(root) ? root : isResponse ? child(root, ns.saml, 'Assertion') : null;
  if (!assertion) return refused('Not a SAML assertion: paste a <saml:Assertion> or a <samlp:Response> holding one (namespace urn:oasis:names:tc:SAML:2.0:assertion).');
  const notes = [`Read the assertion’s attributes and NameID. ${notChecked}`];
  const nameIds = children(child(assertion, ns.saml, 'Subject'), ns.saml, 'NameID');
  let nameIdClaims: Claims = {};
  const raw = text(nameIds[0] ?? null);
  if (nameIds.length === 1 && raw) {
    const format = attr(nameIds[0]!, 'Format');
    nameIdClaims = nameIdClaimsFor(format === nameIdFormats.email ? raw.toLowerCase() : raw, format);
  } else {
    notes.push(nameIds.length > 1 ? 'The assertion has several NameIDs: a real sign-in is refused.' : 'The assertion has no NameID: a real sign-in is refused.');
  }
  return { ok: true, kind: 'saml', protocol: 'saml', claims: { ...readAttributes(assertion), ...nameIdClaims }, notes };
}

export function parseSample(input: string): ParsedSample {
  if (new TextEncoder().encode(input).length > MAX_SAMPLE_BYTES) return refused('The sample is larger than 256 KB.');
  const sample = input.trim().replace(/^Bearer\s+/i, '');
  if (!sample) return refused('Paste an ID token, its claims as JSON, or a SAML assertion.');
  if (sample.startsWith('<')) return readSaml(sample);
  if (sample.startsWith('{')) {
    const claims = jsonObject(sample);
    return claims ? { ok: true, kind: 'json', protocol: 'oidc', claims, notes: ['Read the claims as given.'] } : refused('Not JSON: the claims must be one JSON object, such as {"email": "ada@acme.com"}.');
  }
  if (jwtPattern.test(sample)) return readJwt(sample);
  const decoded = /^[A-Za-z0-9+/=\s]+$/.test(sample) ? base64Text(sample) : null;
  if (decoded?.trimStart().startsWith('<')) return readSaml(decoded.trim());
  return refused('Not a sample Roster can read: paste an ID token (header.payload.signature), its claims as a JSON object, or a SAML assertion or Response (XML or base64).');
}
