import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import type { NamespacePrefix, Reference } from 'xml-crypto';
import { findAncestorNsForElement, findChildren, validateDigestValue } from 'xml-crypto/lib/utils';

/**
 * xml-crypto's SignedXml, with its whole-document XPath queries replaced by DOM walks that select
 * the same nodes. checkSignature() re-parses the document and then, for one signature, evaluates
 * `//*[@*[local-name(.)='ID']='…']` to find the referenced element, the same query again to find
 * that element's ancestor namespaces, `//*[local-name()='SignedInfo']` for the SignedInfo's, and a
 * `.//*` Signature search to find the loaded signature in its own copy; loadSignature() finds the
 * methods, the SignatureValue and the KeyInfo with four more. xpath.js's predicate machinery was
 * 40% of a SAML response validation, then 15% (loadSignature's) once the first four were walks;
 * the RSA check is about 1%.
 *
 * Each method below is xml-crypto 6.3's own, line for line, except where it evaluates an XPath
 * expression over the document: there it walks the DOM and keeps xpath.js's semantics (`@*` counts
 * every attribute, namespace declarations too; `local-name()` is `localName || nodeName`; the first
 * match in document order). Everything else (parsing, canonicalization, digests, the signature
 * check, the errors and their messages) is xml-crypto's. `dom-signed-xml.test.ts` checks it against
 * the stock SignedXml on a generated corpus: every outcome, error message, signed reference and
 * ancestor namespace list must be the same.
 *
 * Not carried over: `ref.getValidatedNode`, which xml-crypto deprecates as insecure and Roster
 * never calls.
 */
export class DomSignedXml extends SignedXml {}

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const NON_EXCLUSIVE = new Set(['http://www.w3.org/TR/2001/REC-xml-c14n-20010315', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments']);

/** The members of SignedXml these methods use: xml-crypto declares them private. */
type Internals = {
  idAttributes: string[];
  signatureNode: Node | null;
  signatureXml: string;
  signatureAlgorithm?: string;
  signatureValue?: string;
  keyInfo?: Node | null;
  references: Reference[];
  loadReference(node: Element): void;
  canonicalizationAlgorithm?: string;
  getCanonXml(transforms: string[], node: Node, options?: { ancestorNamespaces?: NamespacePrefix[] }): string;
  canonicalize(transforms: readonly string[], node: Node, options: object, flags: { discardComments: boolean }): string;
  findHashAlgorithm(name: string): { getHash(xml: string): string };
};
type Ref = Reference & { validationError?: Error; ancestorNamespaces?: NamespacePrefix[] };

/** xpath.js's local-name() of an element. */
const localNameOf = (node: Node) => (node as Element).localName || node.nodeName || '';

/** Every node under `root` (a document or an element, itself excluded), in document order. */
function* nodesUnder(root: Node): Generator<Node> {
  const stack: (Node | null)[] = [root.firstChild];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) continue;
    stack.push(node.nextSibling);
    yield node;
    if (node.nodeType === 1) stack.push(node.firstChild);
  }
}

/** Every element under `root`, in document order: what `//*` or `.//*` selects. */
function* elementsUnder(root: Node): Generator<Element> {
  for (const node of nodesUnder(root)) if (node.nodeType === 1) yield node as Element;
}

/** `.//*[local-name()='${name}']` (select1): the first element under `root` in document order with that local name. */
function firstElementNamed(root: Node, name: string): Element | null {
  for (const element of elementsUnder(root)) if (localNameOf(element) === name) return element;
  return null;
}

/** `//*[@*[local-name(.)='${name}']='${value}']`: elements with any attribute (xmlns ones too) of that local name and value. */
function elementsWithAttribute(doc: Document, name: string, value: string): Element[] {
  const out: Element[] = [];
  for (const element of elementsUnder(doc)) {
    const attributes = element.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const attribute = attributes[i]!;
      if ((attribute.localName || attribute.nodeName || '') === name && (attribute.value || attribute.nodeValue) === value) {
        out.push(element);
        break;
      }
    }
  }
  return out;
}

/** `.//*[local-name(.)='${name}']/@Algorithm`: the first such element in document order that has an unprefixed Algorithm attribute. */
function algorithmOf(root: Node, name: string): Attr | null {
  for (const element of elementsUnder(root)) {
    if (localNameOf(element) !== name) continue;
    const attributes = element.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const attribute = attributes[i]!;
      if (!attribute.namespaceURI && (attribute.localName || attribute.nodeName) === 'Algorithm') return attribute;
    }
  }
  return null;
}

const proto = DomSignedXml.prototype as unknown as Internals & Record<string, unknown>;

proto.validateReference = function validateReference(this: Internals, ref: Ref, doc: Document): string | undefined {
  const uri = ref.uri?.[0] === '#' ? ref.uri.substring(1) : ref.uri;
  let elem: Element | null = null;
  if (uri === '') {
    elem = elementsUnder(doc).next().value ?? null; // select1("//*")
  } else if (uri?.indexOf("'") !== -1) {
    // xpath injection
    throw new Error('Cannot validate a uri with quotes inside it');
  } else {
    let numElementsForId = 0;
    for (const attr of this.idAttributes) {
      const found = elementsWithAttribute(doc, attr, uri);
      if (found.length > 0) {
        numElementsForId += found.length;
        if (numElementsForId > 1) {
          throw new Error(
            'Cannot validate a document which contains multiple elements with the ' +
              'same value for the ID / Id / Id attributes, in order to prevent ' +
              'signature wrapping attack.',
          );
        }
        elem = found[0]!;
        ref.xpath = `//*[@*[local-name(.)='${attr}']='${uri}']`;
      }
    }
  }
  if (elem === null) {
    ref.validationError = new Error(`invalid signature: the signature references an element with uri ${ref.uri} but could not find such element in the xml`);
    return undefined;
  }
  // getCanonReferenceXml(doc, ref, elem): findAncestorNs(doc, ref.xpath) selects elem, the one
  // element ref.xpath matches (more than one was refused above); no xpath, no ancestors.
  if (Array.isArray(ref.transforms)) ref.ancestorNamespaces = ref.xpath == null ? [] : findAncestorNsForElement(elem);
  const c14nOptions = { inclusiveNamespacesPrefixList: ref.inclusiveNamespacesPrefixList, ancestorNamespaces: ref.ancestorNamespaces };
  const discardComments = ref.uri === '' || ref.uri!.startsWith('#');
  const canonXml = this.canonicalize(ref.transforms, elem, c14nOptions, { discardComments });
  const digest = this.findHashAlgorithm(ref.digestAlgorithm).getHash(canonXml);
  if (!validateDigestValue(digest, ref.digestValue)) {
    ref.validationError = new Error(`invalid signature: for uri ${ref.uri} calculated digest is ${digest} but the xml to validate supplies digest ${ref.digestValue}`);
    return undefined;
  }
  return canonXml;
};

const loadSignatureFromText = SignedXml.prototype.loadSignature;
proto.loadSignature = function loadSignature(this: Internals, signatureNode: Node | string): void {
  if (typeof signatureNode === 'string') return loadSignatureFromText.call(this as unknown as SignedXml, signatureNode);
  this.signatureNode = signatureNode;
  this.signatureXml = signatureNode.toString();
  const node = algorithmOf(signatureNode, 'CanonicalizationMethod');
  if (!node) throw new Error('could not find CanonicalizationMethod/@Algorithm element');
  this.canonicalizationAlgorithm = node.value;
  const signatureAlgorithm = algorithmOf(signatureNode, 'SignatureMethod');
  if (signatureAlgorithm) this.signatureAlgorithm = signatureAlgorithm.value;
  const signedInfoNodes = findChildren(this.signatureNode, 'SignedInfo');
  if (signedInfoNodes.length === 0) throw new Error('no signed info node found');
  if (signedInfoNodes.length > 1) throw new Error('could not load signature that contains multiple SignedInfo nodes');
  // Try to operate on the c14n version of `signedInfo` (xml-crypto's comment): exclusive, as the whole document is not at hand.
  let canonicalizationAlgorithmForSignedInfo = this.canonicalizationAlgorithm;
  if (!canonicalizationAlgorithmForSignedInfo || NON_EXCLUSIVE.has(canonicalizationAlgorithmForSignedInfo)) {
    canonicalizationAlgorithmForSignedInfo = 'http://www.w3.org/2001/10/xml-exc-c14n#';
  }
  const temporaryCanonSignedInfo = this.getCanonXml([canonicalizationAlgorithmForSignedInfo], signedInfoNodes[0]!);
  const signedInfoDoc = new DOMParser().parseFromString(temporaryCanonSignedInfo, 'text/xml').documentElement;
  this.references = [];
  const references = findChildren(signedInfoDoc, 'Reference');
  if (references.length === 0) throw new Error('could not find any Reference elements');
  for (const reference of references) this.loadReference(reference);
  // `.//*[local-name(.)='SignatureValue']/text()`: the first text or CDATA node, in document order, whose parent is such an element; only a text node is taken.
  let signatureValue: Node | null = null;
  for (const n of nodesUnder(signatureNode)) {
    if ((n.nodeType === 3 || n.nodeType === 4) && n.parentNode && localNameOf(n.parentNode) === 'SignatureValue' && n.parentNode !== signatureNode) {
      signatureValue = n;
      break;
    }
  }
  if (signatureValue?.nodeType === 3) this.signatureValue = (signatureValue as Text).data.replace(/\r?\n/g, '');
  const keyInfo = firstElementNamed(signatureNode, 'KeyInfo');
  if (keyInfo) this.keyInfo = keyInfo;
};

proto.getCanonSignedInfoXml = function getCanonSignedInfoXml(this: Internals, doc: Document): string {
  if (this.signatureNode == null) throw new Error('No signature found.');
  if (typeof this.canonicalizationAlgorithm !== 'string') throw new Error('Missing canonicalizationAlgorithm when trying to get signed info for XML');
  const signedInfo = findChildren(this.signatureNode, 'SignedInfo');
  if (signedInfo.length === 0) throw new Error('could not find SignedInfo element in the message');
  if (signedInfo.length > 1) throw new Error('could not get canonicalized signed info for a signature that contains multiple SignedInfo nodes');
  if (NON_EXCLUSIVE.has(this.canonicalizationAlgorithm) && (!doc || typeof doc !== 'object')) {
    throw new Error('When canonicalization method is non-exclusive, whole xml dom must be provided as an argument');
  }
  // findAncestorNs(doc, "//*[local-name()='SignedInfo']"): the first SignedInfo in the document,
  // whichever signature it belongs to, as xml-crypto does.
  const first = firstElementNamed(doc, 'SignedInfo');
  const ancestorNamespaces = first ? findAncestorNsForElement(first) : [];
  return this.getCanonXml([this.canonicalizationAlgorithm], signedInfo[0]!, { ancestorNamespaces });
};

proto.findLoadedSignature = function findLoadedSignature(this: Internals, node: Node): Node | null {
  const doc = node.ownerDocument ?? node;
  if (this.signatureNode == null || this.signatureNode.ownerDocument === doc) return this.signatureNode;
  const signatureValue = findChildren(this.signatureNode, 'SignatureValue')[0]?.textContent;
  if (!signatureValue) return null;
  // findSignatureElements(doc): `.//*[local-name(.)='Signature' and namespace-uri(.)=dsig]`
  const matches: Element[] = [];
  for (const element of elementsUnder(doc)) {
    if (localNameOf(element) === 'Signature' && (element.namespaceURI || '') === DSIG && findChildren(element, 'SignatureValue')[0]?.textContent === signatureValue) {
      matches.push(element);
    }
  }
  if (matches.length > 1) {
    throw new Error('Cannot validate a document which contains multiple Signature elements with the same SignatureValue, in order to prevent signature wrapping attack.');
  }
  return matches[0] ?? null;
};
