import { randomBytes } from 'node:crypto';
import * as samlifyModule from 'samlify';
import { escapeXml, parseXmlStrict } from '../xml';
import type { SigningKey } from './keys';

/**
 * A real SAML IdP for tests, the e2e run and the dev demo: samlify builds and signs the responses
 * (xml-crypto underneath), so what Roster verifies is what a real IdP library produces. Each
 * option bends one thing a hostile or broken IdP could send.
 */
/** Node's ESM loader misses samlify's getter-defined exports (SamlLib); module.exports has them all. */
const samlify: typeof samlifyModule = (samlifyModule as { default?: typeof samlifyModule }).default ?? samlifyModule;

samlify.setSchemaValidator({
  // samlify insists on a validator; this one is for the test IdP only: well-formed, no DTDs.
  validate: async (xml: string) => {
    parseXmlStrict(xml, { allowComments: true });
    return 'ok';
  },
});

const { Constants, SamlLib } = samlify;
const algorithms = {
  sha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  sha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
} as const;
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

export type TestSp = { entityId: string; acsUrl: string };
export type ResponseOptions = {
  nameId: string;
  nameIdFormat?: string;
  attributes?: Record<string, string | string[]>;
  /** The AuthnRequest answered; null or absent for IdP-initiated. */
  inResponseTo?: string | null;
  issuer?: string;
  audience?: string;
  recipient?: string;
  destination?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  issueInstant?: Date;
  assertionId?: string;
  /** A top-level status other than Success, as an IdP sends when it could not authenticate the user. */
  statusCode?: string;
  sign?: 'assertion' | 'response' | 'both' | 'none';
  signatureAlgorithm?: keyof typeof algorithms;
  /** Sign with this key instead of the IdP's own (an impostor). */
  signWith?: SigningKey;
};

export class TestIdp {
  constructor(
    readonly entityId: string,
    readonly ssoUrl: string,
    readonly key: SigningKey,
  ) {}

  private entity(key: SigningKey = this.key, algorithm: keyof typeof algorithms = 'sha256') {
    return samlify.IdentityProvider({
      entityID: this.entityId,
      privateKey: key.privateKey,
      signingCert: key.certificate,
      requestSignatureAlgorithm: algorithms[algorithm],
      wantAuthnRequestsSigned: false,
      nameIDFormat: [EMAIL_FORMAT],
      singleSignOnService: [{ Binding: Constants.namespace.binding.redirect, Location: this.ssoUrl }],
      singleLogoutService: [{ Binding: Constants.namespace.binding.redirect, Location: `${this.ssoUrl}/logout` }],
    });
  }

  /** IdP metadata XML, as an admin would paste it into Roster. */
  metadataXml(): string {
    return this.entity().getMetadata();
  }

  /** Reads the AuthnRequest of an SP-initiated sign-in from Roster's redirect URL, checked against the SP's metadata. */
  async readAuthnRequest(redirectUrl: string, spMetadataXml: string): Promise<{ id: string; issuer: string; relayState: string | null }> {
    const query = Object.fromEntries(new URL(redirectUrl).searchParams);
    const sp = samlify.ServiceProvider({ metadata: spMetadataXml });
    const { extract } = await this.entity().parseLoginRequest(sp, 'redirect', { query });
    const request = extract.request as { id?: unknown } | undefined;
    if (typeof request?.id !== 'string') throw new Error('the AuthnRequest has no ID');
    return { id: request.id, issuer: String(extract.issuer), relayState: query.RelayState ?? null };
  }

  /** A SAMLResponse (base64, as posted to the ACS) and its XML. */
  async createResponse(sp: TestSp, options: ResponseOptions): Promise<{ samlResponse: string; xml: string }> {
    const sign = options.sign ?? 'assertion';
    const render = (template: string) => renderResponse(template, this.entityId, sp, options);
    if (sign === 'none') {
      const xml = render(SamlLib.defaultLoginResponseTemplate.context);
      return { samlResponse: Buffer.from(xml).toString('base64'), xml };
    }
    const spEntity = samlify.ServiceProvider({
      entityID: sp.entityId,
      assertionConsumerService: [{ Binding: Constants.namespace.binding.post, Location: sp.acsUrl }],
      wantAssertionsSigned: sign !== 'response',
      wantMessageSigned: sign !== 'assertion',
    });
    const idp = this.entity(options.signWith, options.signatureAlgorithm);
    const result = await idp.createLoginResponse(spEntity, {} as never, 'post', {}, {
      customTagReplacement: (template: string) => ({ id: '', context: render(template) }),
    });
    const samlResponse = result.context;
    return { samlResponse, xml: Buffer.from(samlResponse, 'base64').toString('utf8') };
  }
}

function renderResponse(template: string, idpEntityId: string, sp: TestSp, o: ResponseOptions): string {
  const now = o.issueInstant ?? new Date();
  const end = o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000);
  const id = () => `_${randomBytes(16).toString('hex')}`;
  const filled = SamlLib.replaceTagsByValue(template, {
    ID: id(),
    AssertionID: o.assertionId ?? id(),
    Destination: o.destination ?? sp.acsUrl,
    Audience: o.audience ?? sp.entityId,
    SubjectRecipient: o.recipient ?? sp.acsUrl,
    Issuer: o.issuer ?? idpEntityId,
    IssueInstant: now.toISOString(),
    StatusCode: o.statusCode ?? Constants.StatusCode.Success,
    ConditionsNotBefore: (o.notBefore ?? new Date(now.getTime() - 1000)).toISOString(),
    ConditionsNotOnOrAfter: end.toISOString(),
    SubjectConfirmationDataNotOnOrAfter: end.toISOString(),
    NameIDFormat: o.nameIdFormat ?? EMAIL_FORMAT,
    NameID: o.nameId,
    InResponseTo: o.inResponseTo ?? undefined,
    AuthnStatement: '@@AUTHN@@',
    AttributeStatement: '@@ATTRIBUTES@@',
  });
  return filled.replace('@@AUTHN@@', authnStatement(now)).replace('@@ATTRIBUTES@@', attributeStatement(o.attributes ?? {}));
}

function authnStatement(at: Date): string {
  return `<saml:AuthnStatement AuthnInstant="${at.toISOString()}" SessionIndex="_s${randomBytes(8).toString('hex')}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`;
}

function attributeStatement(attributes: Record<string, string | string[]>): string {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return '';
  const body = entries
    .map(([name, value]) => {
      const values = (Array.isArray(value) ? value : [value]).map((v) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`);
      return `<saml:Attribute Name="${escapeXml(name)}">${values.join('')}</saml:Attribute>`;
    })
    .join('');
  return `<saml:AttributeStatement>${body}</saml:AttributeStatement>`;
}
