import type { SamlConfig } from './config';
import { reject } from './rejection';
import { allElements, attr, child, children, descendantsNamed, ns, parseXmlStrict, XmlRefused } from './xml';

/** The largest SAMLResponse form value accepted (base64), checked before anything is decoded or parsed. */
export const MAX_SAML_RESPONSE_LENGTH = 256 * 1024;

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const SHA1 = { signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', digest: 'http://www.w3.org/2000/09/xmldsig#sha1' };
const strongSignature = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
]);
const strongDigest = new Set(['http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2001/04/xmlenc#sha512']);

export type PrecheckedResponse = { xml: string; response: Element; assertion: Element };

/**
 * Everything that can be refused before any signature is checked: size, encoding, DTDs,
 * comments, the document's shape (one Response holding exactly one Assertion, no duplicate IDs:
 * the ground XML signature wrapping needs), the IdP's status, and the signature algorithms.
 */
export function precheckResponse(samlResponse: unknown, config: Pick<SamlConfig, 'allowSha1'>): PrecheckedResponse {
  if (typeof samlResponse !== 'string' || samlResponse.length === 0) reject('saml_malformed', 'no SAMLResponse in the form');
  if (samlResponse.length > MAX_SAML_RESPONSE_LENGTH) reject('saml_too_large', `SAMLResponse is ${samlResponse.length} characters`);
  const base64 = samlResponse.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) reject('saml_malformed', 'SAMLResponse is not base64');
  const xml = Buffer.from(base64, 'base64').toString('utf8');

  let doc: Document;
  try {
    doc = parseXmlStrict(xml);
  } catch (error) {
    if (error instanceof XmlRefused) reject('saml_malformed', error.message);
    throw error;
  }
  const response = doc.documentElement;
  if (response.namespaceURI !== ns.samlp || response.localName !== 'Response') reject('saml_malformed', 'the document is not a SAML Response');
  checkStatus(response);
  if (descendantsNamed(response, 'EncryptedAssertion').length > 0) reject('saml_malformed', 'encrypted assertions are not supported');
  const direct = children(response, ns.saml, 'Assertion');
  const anywhere = descendantsNamed(response, 'Assertion');
  if (anywhere.length === 0) reject('saml_malformed', 'the response holds no assertion');
  if (direct.length !== 1 || anywhere.length !== 1) {
    reject('saml_signature_invalid', `expected one assertion directly in the Response, found ${direct.length} (${anywhere.length} in all)`);
  }
  checkUniqueIds(response);
  checkAlgorithms(response, config.allowSha1);
  return { xml, response, assertion: direct[0]! };
}

function checkStatus(response: Element) {
  const code = attr(child(child(response, ns.samlp, 'Status'), ns.samlp, 'StatusCode'), 'Value');
  if (code === SUCCESS) return;
  const nested = attr(child(child(child(response, ns.samlp, 'Status'), ns.samlp, 'StatusCode'), ns.samlp, 'StatusCode'), 'Value');
  const clean = (v: string | null) => (v ?? 'missing').replace(/[^\w:.-]/g, '').slice(0, 120);
  reject('saml_idp_error', `status ${clean(code)}${nested ? ` / ${clean(nested)}` : ''}`);
}

/** Two elements with one ID let a signature vouch for one and the reader use the other. */
function checkUniqueIds(root: Element) {
  const seen = new Set<string>();
  for (const element of allElements(root)) {
    for (const name of ['ID', 'Id', 'id']) {
      const value = attr(element, name);
      if (value === null) continue;
      if (seen.has(value)) reject('saml_signature_invalid', 'two elements share one ID');
      seen.add(value);
    }
  }
}

function checkAlgorithms(root: Element, allowSha1: boolean) {
  for (const signature of descendantsNamed(root, 'Signature').filter((s) => s.namespaceURI === ns.ds)) {
    const signedInfo = child(signature, ns.ds, 'SignedInfo');
    const method = attr(child(signedInfo, ns.ds, 'SignatureMethod'), 'Algorithm');
    const digests = children(signedInfo ?? signature, ns.ds, 'Reference').map((r) => attr(child(r, ns.ds, 'DigestMethod'), 'Algorithm'));
    for (const [algorithm, strong, sha1] of [
      [method, strongSignature, SHA1.signature],
      ...digests.map((d) => [d, strongDigest, SHA1.digest] as const),
    ] as const) {
      if (algorithm && strong.has(algorithm)) continue;
      if (algorithm === sha1) {
        if (allowSha1) continue;
        reject('saml_weak_algorithm', `signed with ${algorithm}`);
      }
      reject('saml_signature_invalid', `unsupported signature algorithm ${(algorithm ?? 'missing').slice(0, 100)}`);
    }
  }
}
