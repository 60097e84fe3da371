import { createPublicKey, type KeyObject } from 'node:crypto';
import type { SamlConfig } from './config';
import { DomSignedXml } from './dom-signed-xml';
import { reject } from './rejection';
import { allElements, ns, parseXmlStrict } from './xml';

type Signing = Pick<SamlConfig, 'certificates' | 'wantAssertionsSigned' | 'wantResponseSigned'>;

const KEY_CACHE_SIZE = 256;
/** Public keys of the configured certificates, by PEM: verifying with a PEM string parses the certificate each time (~0.3 ms). */
const publicKeys = new Map<string, KeyObject>();

function publicKeyOf(certificate: string): KeyObject {
  let key = publicKeys.get(certificate);
  if (!key) {
    key = createPublicKey(certificate);
    if (publicKeys.size >= KEY_CACHE_SIZE) publicKeys.delete(publicKeys.keys().next().value!);
    publicKeys.set(certificate, key);
  }
  return key;
}

const invalid = (detail: string): never => reject('saml_signature_invalid', detail);
const elementChildren = (parent: Element) => Array.from(parent.childNodes).filter((n): n is Element => n.nodeType === 1);
const byLocalName = (parent: Element, localName: string) => elementChildren(parent).filter((e) => e.localName === localName);

/**
 * Verifies the response's signatures against the connection's certificates only (never a key the
 * document carries), on the document the prechecks already parsed: the assertion, the whole
 * response, or both must be signed as configured, and the signature must cover the one assertion
 * used. Returns the signed assertion, parsed from the bytes the signature covers (never from the
 * posted document): the only source the caller reads claims from.
 *
 * This is node-saml's validatePostResponseAsync and getVerifiedXml step for step (xml-crypto does
 * the XML-DSig), without its three further parses of the same XML, its xml2js pass and its
 * per-request instance; node-saml's time and audience checks are read-assertion.ts's. It is
 * checked against node-saml on a corpus of signed and tampered responses
 * (verify-signature.test.ts, against testing/node-saml-verify.ts).
 */
export function verifySignedAssertion(doc: Document, xml: string, config: Signing): Element {
  const root = doc.documentElement;
  if (root.localName !== 'Response') reject('saml_malformed', 'the document is not a SAML Response');
  const normalized = xml.replace(/\r\n?/g, '\n');
  const responseSigned = verifiedContent(normalized, root, config.certificates);
  if (config.wantResponseSigned && responseSigned === null) invalid('the Response is not validly signed');
  const assertions = byLocalName(root, 'Assertion');
  if (assertions.length + byLocalName(root, 'EncryptedAssertion').length > 1) invalid('several assertions');
  if (assertions.length !== 1) reject('saml_malformed', 'no signed assertion in the response');
  let assertionSigned: string | null = null;
  if (config.wantAssertionsSigned || responseSigned === null) {
    assertionSigned = verifiedContent(normalized, assertions[0]!, config.certificates);
    if (assertionSigned === null) invalid('the Assertion is not validly signed');
  }
  return signedAssertion((responseSigned ?? assertionSigned)!);
}

/**
 * The content `node`'s own enveloped signature covers, when one of the certificates verifies it;
 * null when it has no signature or none verifies it. Throws when the signature is not of the one
 * shape SAML allows (one signature, at most two transforms, one reference to its parent).
 */
function verifiedContent(xml: string, node: Element, certificates: string[]): string | null {
  const signatures = elementChildren(node).filter((e) => e.localName === 'Signature' && e.namespaceURI === ns.ds);
  if (signatures.length === 0) return null;
  if (signatures.length > 1) invalid('too many signatures found for this element');
  const signature = signatures[0]!;
  const transforms = allElements(signature).filter((e) => e.localName === 'Transform' && e.namespaceURI === ns.ds);
  if (transforms.length > 2) invalid('too many transforms');
  for (const certificate of certificates) {
    // Only the configured key: never one the document's KeyInfo carries.
    const sig = new DomSignedXml({ publicCert: publicKeyOf(certificate), getCertFromKeyInfo: () => null });
    sig.loadSignature(signature);
    const references = sig.getReferences();
    if (references.length !== 1 || !signature.parentNode) return null;
    const uri = references[0]!.uri ?? '';
    const refId = uri.startsWith('#') ? uri.slice(1) : uri;
    if (!refId) invalid('signature reference uri not found');
    if (refId.includes("'") || refId.includes('"')) invalid('the reference URI holds a quote character');
    // By default xml-crypto resolves the reference by `Id`, `ID` and `id` (any namespace) and refuses
    // a value two elements carry: three XPath walks of the whole document, a quarter of a validation.
    // It is told to look for `ID` only, SAML's one ID attribute (one walk), and this DOM walk refuses
    // every other element that carries the value under any of the three names, as it would have.
    const referenced = allElements(node.ownerDocument.documentElement).filter((e) => carriesId(e, refId));
    if (referenced.length !== 1) invalid('ID cannot refer to more than one element');
    if (referenced[0] !== signature.parentNode || referenced[0].getAttribute('ID') !== refId) invalid('the referenced node is not the signature’s parent');
    sig.idAttributes = ['ID'];
    try {
      if (!sig.checkSignature(xml)) continue;
      const signed = sig.getSignedReferences();
      if (signed.length !== 1) throw new Error('only one signed reference may be present');
      return signed[0]!;
    } catch {
      // another certificate may verify it (key rollover)
    }
  }
  return null;
}

const ID_NAMES = new Set(['Id', 'ID', 'id']);
/** Whether the element has an attribute named Id, ID or id (in any namespace, as xml-crypto matches) whose value is `id`. */
function carriesId(element: Element, id: string): boolean {
  const attributes = element.attributes;
  for (let i = 0; i < attributes.length; i++) {
    const attribute = attributes[i]!;
    if (attribute.value === id && ID_NAMES.has(attribute.localName ?? attribute.name)) return true;
  }
  return false;
}

/** The assertion in the signed bytes: the signed Response's one assertion, or the signed Assertion itself. */
function signedAssertion(signedXml: string): Element {
  const root = parseXmlStrict(signedXml).documentElement;
  if (root.localName === 'Assertion') return root;
  if (root.localName === 'Response') {
    const assertions = byLocalName(root, 'Assertion');
    if (assertions.length === 1) return assertions[0]!;
  }
  return reject('saml_malformed', 'cannot obtain the assertion from the signed data');
}
