import { randomBytes } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomSignedXml } from './dom-signed-xml';
import { spUrls } from './sp-metadata';
import { makeTestIdp, testKeys } from './testing/fixtures';
import * as tamper from './testing/tamper';
import type { TestIdp } from './testing/test-idp';
import type { SigningKey } from './testing/keys';

/**
 * DomSignedXml against the stock xml-crypto SignedXml it overrides, on a generated corpus: samlify
 * responses signed every way and tampered (the XSW family, twinned IDs, CRLF, round trips), and
 * documents xml-crypto signs itself with every canonicalization (exclusive, inclusive, with
 * comments, an InclusiveNamespaces prefix list), namespaces declared on ancestors, references by
 * Id, ID and id, an empty URI, and duplicated or nested signatures. For every signature in every
 * document, under every ID-attribute set and key, both must give the same outcome (true, false or
 * the same error message), the same signed references, and the same per-reference XPath, ancestor
 * namespaces and validation error.
 */
const sp = spUrls('http://localhost:3000', '00000000-0000-4000-8000-00000000d0e5');
const evil = 'admin@example.com';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const C14N = {
  exclusive: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  exclusiveWithComments: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  inclusive: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  inclusiveWithComments: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
};
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

let idp: TestIdp;
let key: SigningKey;
let impostor: SigningKey;

beforeAll(async () => {
  idp = await makeTestIdp();
  key = idp.key;
  impostor = (await testKeys())[1];
});

/** A Response whose Assertion uses prefixes declared only on the Response, and carries `idAttribute`. */
function unsignedResponse(idAttribute: string, comment = false): string {
  const id = `_${randomBytes(8).toString('hex')}`;
  return (
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ' +
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:extra="urn:example:extra" ' +
    `ID="_r${randomBytes(6).toString('hex')}" Version="2.0"><saml:Issuer>https://idp.example</saml:Issuer>` +
    `<saml:Assertion ${idAttribute}="${id}" Version="2.0"><saml:Issuer>https://idp.example</saml:Issuer>` +
    `<saml:Subject><saml:NameID>alice@example.com${comment ? '<!-- note -->' : ''}</saml:NameID></saml:Subject>` +
    '<saml:AttributeStatement><saml:Attribute Name="department"><saml:AttributeValue xsi:type="xs:string">Sales</saml:AttributeValue>' +
    '</saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>'
  );
}

function signWithXmlCrypto(xml: string, options: { canonicalization: string; transforms: string[]; prefixes?: string; idAttribute: string; target?: 'Assertion' | 'Response'; emptyUri?: boolean }): string {
  const target = options.target ?? 'Assertion';
  const sig = new SignedXml({
    privateKey: key.privateKey,
    canonicalizationAlgorithm: options.canonicalization,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    idAttribute: options.idAttribute,
  });
  sig.addReference({
    xpath: `//*[local-name(.)='${target}']`,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: options.transforms,
    inclusiveNamespacesPrefixList: options.prefixes?.split(' '),
    isEmptyUri: options.emptyUri,
  });
  sig.computeSignature(xml, { location: { reference: `//*[local-name(.)='${target}']/*[local-name(.)='Issuer']`, action: 'after' } });
  return sig.getSignedXml();
}

/** Tampers that left a samlify response as it was (the corpus would test less than it says). */
const unchanged: string[] = [];

async function corpus(): Promise<Record<string, string>> {
  const docs: Record<string, string> = {};
  for (const sign of ['assertion', 'response', 'both'] as const) {
    const signed = (await idp.createResponse(sp, { nameId: 'bob@example.com', inResponseTo: '_req1', attributes: { groups: ['a', 'b'] }, sign })).xml;
    const variants: Record<string, (x: string) => string> = {
      ...tamper.signatureTampers(evil),
      'xmlns:ID twin': (x) => x.replace('<saml:Issuer', `<saml:Issuer xmlns:ID="${/<saml:Assertion[^>]* ID="([^"]+)"/.exec(x)![1]}"`),
      'comment in NameID': (x) => tamper.injectCommentInNameId(x, 'bob'),
      'signature moved out': (x) => x.replace(/(<ds:Signature[\s\S]*?<\/ds:Signature>)([\s\S]*)$/, '$2').replace('</samlp:Response>', `${/(<ds:Signature[\s\S]*?<\/ds:Signature>)/.exec(x)?.[1] ?? ''}</samlp:Response>`),
      'SignatureValue as CDATA': (x) => x.replace(/<ds:SignatureValue>([^<]*)</, '<ds:SignatureValue><![CDATA[$1]]><'),
      'SignatureValue after a CDATA section': (x) => x.replace('<ds:SignatureValue>', '<ds:SignatureValue><![CDATA[ ]]>'),
      'SignatureValue after a comment': (x) => x.replace('<ds:SignatureValue>', '<ds:SignatureValue><!-- c -->'),
      'SignatureValue nested': (x) => x.replace('<ds:SignatureValue>', '<ds:SignatureValue><ds:SignatureValue>AAAA</ds:SignatureValue>'),
      'decoy methods before SignedInfo': (x) =>
        x.replace('<ds:SignedInfo>', '<x:Pre xmlns:x="urn:x"><ds:CanonicalizationMethod/><ds:CanonicalizationMethod x:Algorithm="urn:bogus"/><ds:SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/></x:Pre><ds:SignedInfo>'),
      'CanonicalizationMethod without Algorithm': (x) => x.replace(/(<ds:CanonicalizationMethod) Algorithm="[^"]*"/, '$1'),
      'no SignatureMethod Algorithm': (x) => x.replace(/(<ds:SignatureMethod) Algorithm="[^"]*"/, '$1'),
      'no KeyInfo': (x) => x.replace(/<ds:KeyInfo>[\s\S]*?<\/ds:KeyInfo>/, ''),
      'KeyInfo twice': (x) => x.replace(/(<ds:KeyInfo>[\s\S]*?<\/ds:KeyInfo>)/, '<ds:KeyInfo><ds:KeyName>first</ds:KeyName></ds:KeyInfo>$1'),
      'no Reference': (x) => x.replace(/<ds:Reference[\s\S]*?<\/ds:Reference>/, ''),
      'two SignedInfo': (x) => x.replace(/(<ds:SignedInfo>[\s\S]*?<\/ds:SignedInfo>)/, '$1$1'),
      'SignedInfo twinned earlier': (x) => x.replace(/<saml:Issuer/, `<extra:Note xmlns:extra="urn:example:extra" xmlns:ds2="${DSIG}"><ds2:SignedInfo/></extra:Note><saml:Issuer`),
    };
    for (const [name, change] of Object.entries(variants)) {
      try {
        const changed = change(signed);
        // samlify writes one line that serializes back as it was: those two may leave it alone.
        if (!['untouched', 'round trip', 'CRLF line ends'].includes(name) && changed === signed) unchanged.push(`${sign}: ${name}`);
        docs[`samlify ${sign}: ${name}`] = changed;
      } catch {
        // a wrapping that needs a signature this signing does not make
      }
    }
  }
  for (const [c14nName, canonicalization] of Object.entries(C14N)) {
    for (const idAttribute of ['ID', 'Id', 'id']) {
      for (const [transformName, transforms] of Object.entries({
        'enveloped + same': [ENVELOPED, canonicalization],
        'enveloped + exclusive': [ENVELOPED, C14N.exclusive],
        'enveloped + inclusive': [ENVELOPED, C14N.inclusive],
        enveloped: [ENVELOPED],
      })) {
        const name = `xml-crypto ${c14nName} SignedInfo, ${transformName}, ${idAttribute}`;
        const signed = signWithXmlCrypto(unsignedResponse(idAttribute, true), { canonicalization, transforms, idAttribute });
        docs[name] = signed;
        docs[`${name}: tampered`] = signed.replace('>Sales<', '>Admins<');
        docs[`${name}: namespace changed on Response`] = signed.replace('xmlns:extra="urn:example:extra"', 'xmlns:extra="urn:example:other"');
        docs[`${name}: comment dropped`] = signed.replace('<!-- note -->', '');
        // xml-crypto takes the SignedInfo's ancestor namespaces from the document's first SignedInfo, whoever's it is.
        docs[`${name}: decoy SignedInfo earlier`] = signed.replace('<saml:Assertion', `<extra:Note xmlns:saml="urn:example:decoy" xmlns:more="urn:example:more"><SignedInfo xmlns="${DSIG}"/></extra:Note><saml:Assertion`);
      }
    }
  }
  const prefixed = signWithXmlCrypto(unsignedResponse('ID'), { canonicalization: C14N.exclusive, transforms: [ENVELOPED, C14N.exclusive], prefixes: 'xs extra', idAttribute: 'ID' });
  docs['InclusiveNamespaces prefix list'] = prefixed;
  docs['InclusiveNamespaces prefix list: namespace changed on Response'] = prefixed.replace('xmlns:extra="urn:example:extra"', 'xmlns:extra="urn:example:other"');
  docs['InclusiveNamespaces prefix list: xs rebound'] = prefixed.replace('xmlns:xs="http://www.w3.org/2001/XMLSchema"', 'xmlns:xs="urn:example:xs"');
  const whole = signWithXmlCrypto(unsignedResponse('ID'), { canonicalization: C14N.exclusive, transforms: [ENVELOPED, C14N.exclusive], idAttribute: 'ID', target: 'Response', emptyUri: true });
  docs['empty URI'] = whole;
  docs['empty URI: tampered'] = whole.replace('>Sales<', '>Admins<');
  const nested = signWithXmlCrypto(
    signWithXmlCrypto(unsignedResponse('ID'), { canonicalization: C14N.inclusive, transforms: [ENVELOPED, C14N.inclusive], idAttribute: 'ID' }),
    { canonicalization: C14N.inclusive, transforms: [ENVELOPED, C14N.inclusive], idAttribute: 'ID', target: 'Response' },
  );
  docs['both signed, inclusive'] = nested;
  docs['both signed, inclusive: signature duplicated'] = nested.replace(/(<Signature[\s\S]*?<\/Signature>)/, '$1$1');
  docs['quote in reference URI'] = nested.replace(/URI="#([^"]+)"/, `URI="#$1'x"`);
  docs['unknown reference URI'] = nested.replace(/URI="#([^"]+)"/, 'URI="#_nowhere"');
  return docs;
}

type Outcome = Record<string, unknown>;

function run(Impl: typeof SignedXml, xml: string, signature: Element, idAttributes: string[] | null, cert: string): Outcome {
  const sig = new Impl({ publicCert: cert, getCertFromKeyInfo: () => null });
  if (idAttributes) sig.idAttributes = idAttributes;
  const out: Outcome = {};
  try {
    sig.loadSignature(signature);
    const loaded = sig as unknown as Record<string, unknown>;
    out.loaded = {
      signatureXml: loaded.signatureXml,
      canonicalizationAlgorithm: loaded.canonicalizationAlgorithm,
      signatureAlgorithm: loaded.signatureAlgorithm,
      signatureValue: loaded.signatureValue,
      keyInfo: String(loaded.keyInfo),
      references: JSON.stringify(sig.getReferences()),
    };
    out.result = sig.checkSignature(xml);
  } catch (error) {
    out.error = (error as Error).message;
  }
  out.signed = sig.getSignedReferences();
  out.references = sig.getReferences().map((r) => {
    const ref = r as typeof r & { validationError?: Error };
    return { uri: ref.uri, xpath: ref.xpath, ancestorNamespaces: ref.ancestorNamespaces, validationError: ref.validationError?.message, signedReference: ref.signedReference };
  });
  return out;
}

describe('DomSignedXml agrees with xml-crypto’s SignedXml', () => {
  it('on every signature of a generated corpus, under every ID-attribute set and key', async () => {
    const docs = await corpus();
    const differences: string[] = [];
    let verified = 0;
    let refused = 0;
    let compared = 0;
    for (const [name, xml] of Object.entries(docs)) {
      // Each implementation loads the signature from its own parse, as verify-signature.ts does.
      const signaturesIn = (source: string) =>
        Array.from(new DOMParser().parseFromString(source, 'text/xml').getElementsByTagNameNS(DSIG, 'Signature'));
      const count = signaturesIn(xml).length;
      for (let s = 0; s < count; s++) {
        for (const idAttributes of [null, ['ID'], ['Id'], ['ID', 'id']]) {
          for (const cert of [key.certificate, impostor.certificate]) {
            const expected = run(SignedXml, xml, signaturesIn(xml)[s]!, idAttributes, cert);
            const actual = run(DomSignedXml, xml, signaturesIn(xml)[s]!, idAttributes, cert);
            compared++;
            if (expected.result === true) verified++;
            else refused++;
            if (JSON.stringify(actual) !== JSON.stringify(expected)) {
              differences.push(`${name} #${s} ${JSON.stringify(idAttributes)}: stock ${JSON.stringify(expected).slice(0, 300)} / dom ${JSON.stringify(actual).slice(0, 300)}`);
            }
          }
        }
      }
    }
    expect(differences).toEqual([]);
    expect(unchanged).toEqual([]);
    // A corpus that proves nothing would pass too: both outcomes must be well represented.
    expect(compared).toBeGreaterThan(1000);
    expect(verified).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });
});
