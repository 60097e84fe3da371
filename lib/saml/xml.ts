import { DOMParser } from '@xmldom/xmldom';

/** XML namespaces SAML documents use. */
export const ns = {
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

export class XmlRefused extends Error {
  constructor(
    readonly kind: 'doctype' | 'malformed',
    message: string,
  ) {
    super(message);
    this.name = 'XmlRefused';
  }
}

const ELEMENT = 1;
const PROCESSING_INSTRUCTION = 7;
const COMMENT = 8;
const DOCUMENT_TYPE = 10;

/**
 * Parses untrusted XML strictly: any DTD or entity declaration is refused before parsing (no
 * XXE, no entity expansion), as is any parser warning or error. Comments and processing
 * instructions are refused too unless allowed: signed SAML never needs them, and a comment
 * inside a signed value is the classic way to make two parsers read two different texts.
 */
export function parseXmlStrict(xml: string, options: { allowComments?: boolean } = {}): Document {
  if (/<!DOCTYPE|<!ENTITY|<!ELEMENT|<!ATTLIST/i.test(xml)) throw new XmlRefused('doctype', 'document type declarations are not allowed');
  if (xml.includes('\u0000')) throw new XmlRefused('malformed', 'NUL characters are not allowed');
  const problems: string[] = [];
  const record = (msg: unknown) => problems.push(String(msg).split('\n')[0] ?? 'parse error');
  const doc = new DOMParser({ locator: {}, errorHandler: { warning: record, error: record, fatalError: record } }).parseFromString(
    xml,
    'text/xml',
  );
  if (problems.length > 0 || !doc?.documentElement) throw new XmlRefused('malformed', `not well-formed XML (${problems[0] ?? 'no root element'})`);
  assertPlainTree(doc, options.allowComments ?? false);
  return doc;
}

function assertPlainTree(doc: Document, allowComments: boolean) {
  const stack: Node[] = [doc];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeType === DOCUMENT_TYPE) throw new XmlRefused('doctype', 'document type declarations are not allowed');
    if (node.nodeType === COMMENT && !allowComments) throw new XmlRefused('malformed', 'comments are not allowed');
    if (node.nodeType === PROCESSING_INSTRUCTION && (node as ProcessingInstruction).target.toLowerCase() !== 'xml') {
      throw new XmlRefused('malformed', 'processing instructions are not allowed');
    }
    for (let child = node.firstChild; child; child = child.nextSibling) stack.push(child);
  }
}

/** The element children of `parent` with this namespace and local name, in document order. */
export function children(parent: Node | null, namespace: string, localName: string): Element[] {
  const out: Element[] = [];
  if (!parent) return out;
  for (let child = parent.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === ELEMENT && (child as Element).namespaceURI === namespace && (child as Element).localName === localName) {
      out.push(child as Element);
    }
  }
  return out;
}

export function child(parent: Node | null, namespace: string, localName: string): Element | null {
  return children(parent, namespace, localName)[0] ?? null;
}

/** Every element below `root` with this local name, in any namespace (used to count, never to read). */
export function descendantsNamed(root: Node, localName: string): Element[] {
  const out: Element[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node !== root && node.nodeType === ELEMENT && (node as Element).localName === localName) out.push(node as Element);
    for (let c = node.firstChild; c; c = c.nextSibling) stack.push(c);
  }
  return out;
}

/** Every element below `root`, root included. */
export function allElements(root: Element): Element[] {
  const out: Element[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeType === ELEMENT) out.push(node as Element);
    for (let c = node.firstChild; c; c = c.nextSibling) stack.push(c);
  }
  return out;
}

/** The element's whole text (all text nodes joined), trimmed. */
export function text(element: Element | null): string | null {
  const value = element?.textContent?.trim();
  return value ? value : null;
}

export function attr(element: Element | null, name: string): string | null {
  if (!element || !element.hasAttribute(name)) return null;
  return element.getAttribute(name);
}

export function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
