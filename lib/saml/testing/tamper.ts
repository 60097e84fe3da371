import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { ns } from '../xml';

/**
 * What an attacker does to a response they captured: rewrite it around its valid signature.
 * The XML signature wrapping (XSW) variants follow Somorovsky et al., "On Breaking SAML" (2012):
 * each keeps the genuinely signed assertion somewhere in the document and puts an evil one where
 * a careless reader looks. `evilNameId` is who the attacker wants to become.
 */
type Edit = (doc: Document, response: Element, assertion: Element) => void;

function edit(xml: string, change: Edit): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const response = doc.documentElement;
  const assertion = response.getElementsByTagNameNS(ns.saml, 'Assertion')[0]!;
  change(doc, response, assertion);
  return new XMLSerializer().serializeToString(doc);
}

export const toBase64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

function directChild(parent: Element, namespace: string, localName: string): Element | null {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === namespace && (n as Element).localName === localName) return n as Element;
  }
  return null;
}

/** A copy of the assertion for someone else: its own signature removed, NameID (and ID unless kept) changed. */
function evilCopy(assertion: Element, evilNameId: string, options: { keepId?: boolean; keepSignature?: boolean } = {}): Element {
  const evil = assertion.cloneNode(true) as Element;
  const signature = directChild(evil, ns.ds, 'Signature');
  if (signature && !options.keepSignature) evil.removeChild(signature);
  if (!options.keepId) evil.setAttribute('ID', `_evil${Date.now()}`);
  setNameId(evil, evilNameId);
  return evil;
}

function setNameId(assertion: Element, value: string) {
  const nameId = assertion.getElementsByTagNameNS(ns.saml, 'NameID')[0]!;
  while (nameId.firstChild) nameId.removeChild(nameId.firstChild);
  nameId.appendChild(assertion.ownerDocument.createTextNode(value));
}

/** Unchanged apart from a parse and serialize: the control that shows the tampering, not the round trip, is refused. */
export const roundTrip = (xml: string) => edit(xml, () => undefined);

/** Changes the NameID after signing. */
export const alterSignedNameId = (xml: string, evilNameId: string) => edit(xml, (_d, _r, a) => setNameId(a, evilNameId));

/** XSW-1: an evil unsigned assertion placed before the signed one, side by side in the Response. */
export const xswEvilSiblingFirst = (xml: string, evilNameId: string) =>
  edit(xml, (_d, response, assertion) => response.insertBefore(evilCopy(assertion, evilNameId), assertion));

/** XSW-2: the evil assertion takes the signed one's place and carries the signed one inside itself. */
export const xswSignedInsideEvil = (xml: string, evilNameId: string) =>
  edit(xml, (_d, response, assertion) => {
    const evil = evilCopy(assertion, evilNameId);
    response.replaceChild(evil, assertion);
    evil.appendChild(assertion);
  });

/** XSW-3: the evil assertion keeps the signed one's ID and signature; the original hides in ds:Object. */
export const xswSameIdInSignatureObject = (xml: string, evilNameId: string) =>
  edit(xml, (doc, response, assertion) => {
    const evil = evilCopy(assertion, evilNameId, { keepId: true, keepSignature: true });
    const object = doc.createElementNS(ns.ds, 'ds:Object');
    response.replaceChild(evil, assertion);
    object.appendChild(assertion);
    directChild(evil, ns.ds, 'Signature')!.appendChild(object);
  });

/** XSW-4: the signed assertion moved into samlp:Extensions; the evil one sits where assertions go. */
export const xswSignedInExtensions = (xml: string, evilNameId: string) =>
  edit(xml, (doc, response, assertion) => {
    const extensions = doc.createElementNS(ns.samlp, 'samlp:Extensions');
    response.replaceChild(evilCopy(assertion, evilNameId), assertion);
    response.insertBefore(extensions, directChild(response, ns.samlp, 'Status'));
    extensions.appendChild(assertion);
  });

/** XSW-5 (signed Response): the whole signed Response copied into its own signature; the outer one is evil. */
export const xswWrappedSignedResponse = (xml: string, evilNameId: string) =>
  edit(xml, (doc, response, assertion) => {
    const original = response.cloneNode(true) as Element;
    response.setAttribute('ID', `_evilresponse${Date.now()}`);
    setNameId(assertion, evilNameId);
    const object = doc.createElementNS(ns.ds, 'ds:Object');
    object.appendChild(original);
    directChild(response, ns.ds, 'Signature')!.appendChild(object);
  });

/** Comment injection: `bob@example.com.evil.test` read by a careless parser as `bob@example.com`. */
export const injectCommentInNameId = (xml: string, splitAt: string) =>
  edit(xml, (doc, _r, assertion) => {
    const nameId = assertion.getElementsByTagNameNS(ns.saml, 'NameID')[0]!;
    const value = nameId.textContent ?? '';
    const at = value.indexOf(splitAt) + splitAt.length;
    while (nameId.firstChild) nameId.removeChild(nameId.firstChild);
    nameId.appendChild(doc.createTextNode(value.slice(0, at)));
    nameId.appendChild(doc.createComment(''));
    nameId.appendChild(doc.createTextNode(value.slice(at)));
  });

/** An XXE payload: a DTD with an external entity, referenced from the NameID. */
export function withExternalEntity(xml: string): string {
  const body = xml.replace(/^<\?xml[^>]*\?>/, '').replace(/(<saml:NameID[^>]*>)[^<]*/, '$1&xxe;');
  return `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${body}`;
}

/**
 * A second element carrying the signed element's ID value in another ID-like attribute (`Id`,
 * `id`, or `ID` in a namespace), placed in samlp:Extensions outside any signed content: XML-DSig
 * libraries that resolve a reference by any of these names must refuse the ambiguity (xml-crypto
 * does, for `Id`, `ID` and `id` of any namespace).
 */
export const idTwin = (attribute: 'Id' | 'id' | 'x:ID') => (xml: string) =>
  edit(xml, (doc, response, assertion) => {
    const extensions = doc.createElementNS(ns.samlp, 'samlp:Extensions');
    for (const signed of [assertion, response]) {
      const twin = doc.createElementNS('urn:roster:test:twin', 'x:Twin');
      if (attribute === 'x:ID') twin.setAttributeNS('urn:roster:test:twin', 'x:ID', signed.getAttribute('ID')!);
      else twin.setAttribute(attribute, signed.getAttribute('ID')!);
      extensions.appendChild(twin);
    }
    response.insertBefore(extensions, directChild(response, ns.samlp, 'Status'));
  });

/**
 * The changes both signature corpora make to a signed response (verify-signature.test.ts against
 * node-saml, dom-signed-xml.test.ts against xml-crypto): none, a round trip, a changed NameID, the
 * XSW family, CRLF line ends, and the ID value twinned under each other name xml-crypto resolves.
 * One may throw when the response lacks the signature it wraps.
 */
export function signatureTampers(evilNameId: string): Record<string, (xml: string) => string> {
  return {
    untouched: (x) => x,
    'round trip': roundTrip,
    'NameID changed': (x) => alterSignedNameId(x, evilNameId),
    'XSW-1': (x) => xswEvilSiblingFirst(x, evilNameId),
    'XSW-2': (x) => xswSignedInsideEvil(x, evilNameId),
    'XSW-3': (x) => xswSameIdInSignatureObject(x, evilNameId),
    'XSW-4': (x) => xswSignedInExtensions(x, evilNameId),
    'XSW-5': (x) => xswWrappedSignedResponse(x, evilNameId),
    'CRLF line ends': (x) => x.replace(/\n/g, '\r\n'),
    'ID value twinned in an Id attribute': idTwin('Id'),
    'ID value twinned in an id attribute': idTwin('id'),
    'ID value twinned in a namespaced ID attribute': idTwin('x:ID'),
  };
}
