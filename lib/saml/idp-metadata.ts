import { AppError } from '@/lib/errors';
import { samlConfigSchema, toPemCertificate, type SamlConfig, type SamlConfigInput } from './config';
import { attr, child, children, ns, parseXmlStrict, text, XmlRefused } from './xml';

export const MAX_METADATA_BYTES = 1024 * 1024;

export const bindings = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

export type IdpMetadata = {
  idpEntityId: string;
  ssoUrl: string;
  ssoBinding: 'redirect' | 'post';
  /** Every SingleSignOnService the IdP offers, by binding URI. */
  ssoServices: { binding: string; location: string }[];
  certificates: string[];
  wantAuthnRequestsSigned: boolean;
};

const invalid = (message: string) => new AppError('invalid_input', `IdP metadata: ${message}`);

/**
 * Reads an IdP's SAML metadata (an EntityDescriptor, or an EntitiesDescriptor holding exactly one
 * IdP unless `entityId` picks one): entity ID, SSO endpoints and signing certificates. DTDs and
 * entities are refused before parsing. Throws AppError invalid_input with a readable reason.
 */
export function parseIdpMetadata(xml: string, options: { entityId?: string } = {}): IdpMetadata {
  if (Buffer.byteLength(xml, 'utf8') > MAX_METADATA_BYTES) throw invalid('the document is larger than 1 MiB.');
  let doc: Document;
  try {
    doc = parseXmlStrict(xml, { allowComments: true });
  } catch (error) {
    throw invalid(error instanceof XmlRefused ? `${error.message}.` : 'not well-formed XML.');
  }
  const entity = pickEntity(doc.documentElement, options.entityId);
  const idp = child(entity, ns.md, 'IDPSSODescriptor')!;
  const ssoServices = children(idp, ns.md, 'SingleSignOnService')
    .map((e) => ({ binding: attr(e, 'Binding') ?? '', location: attr(e, 'Location') ?? '' }))
    .filter((s) => /^https?:\/\//i.test(s.location));
  const redirect = ssoServices.find((s) => s.binding === bindings.redirect);
  const post = ssoServices.find((s) => s.binding === bindings.post);
  const sso = redirect ?? post;
  if (!sso) throw invalid('the IdP offers no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding.');
  const certificates = signingCertificates(idp);
  if (certificates.length === 0) throw invalid('the IdP lists no signing certificate.');
  return {
    idpEntityId: attr(entity, 'entityID')!,
    ssoUrl: sso.location,
    ssoBinding: redirect ? 'redirect' : 'post',
    ssoServices,
    certificates,
    wantAuthnRequestsSigned: attr(idp, 'WantAuthnRequestsSigned') === 'true',
  };
}

function pickEntity(root: Element, entityId?: string): Element {
  if (root.namespaceURI !== ns.md) throw invalid('the root element is not SAML 2.0 metadata.');
  const entities = root.localName === 'EntitiesDescriptor' ? children(root, ns.md, 'EntityDescriptor') : [root];
  if (root.localName !== 'EntitiesDescriptor' && root.localName !== 'EntityDescriptor') throw invalid('no EntityDescriptor found.');
  const idps = entities.filter((e) => child(e, ns.md, 'IDPSSODescriptor') && attr(e, 'entityID'));
  const chosen = entityId ? idps.filter((e) => attr(e, 'entityID') === entityId) : idps;
  if (chosen.length === 0) throw invalid(entityId ? `no identity provider with entity ID ${entityId}.` : 'no identity provider (IDPSSODescriptor) found.');
  if (chosen.length > 1) throw invalid(`${chosen.length} identity providers found; choose one by its entity ID.`);
  return chosen[0]!;
}

/** Certificates of KeyDescriptors for signing (use="signing" or no use), deduplicated, as PEM. */
function signingCertificates(idp: Element): string[] {
  const pems = children(idp, ns.md, 'KeyDescriptor')
    .filter((k) => (attr(k, 'use') ?? 'signing') === 'signing')
    .flatMap((k) => children(k, ns.ds, 'KeyInfo'))
    .flatMap((info) => children(info, ns.ds, 'X509Data'))
    .flatMap((data) => children(data, ns.ds, 'X509Certificate'))
    .map((c) => {
      const pem = toPemCertificate(text(c) ?? '');
      if (!pem) throw invalid('a signing certificate is not a valid X.509 certificate.');
      return pem;
    });
  return [...new Set(pems)];
}

/**
 * The stored form of a SAML connection from IdP metadata and/or manual settings (manual values win),
 * validated: what goes into connections.saml_metadata and connections.saml_config.
 */
export function buildSamlConnectionConfig(input: { metadataXml?: string; entityId?: string; settings?: Partial<SamlConfigInput> }): {
  samlMetadata: string | null;
  samlConfig: SamlConfig;
} {
  const fromMetadata = input.metadataXml ? parseIdpMetadata(input.metadataXml, { entityId: input.entityId }) : null;
  const candidate = {
    ...(fromMetadata && {
      idpEntityId: fromMetadata.idpEntityId,
      ssoUrl: fromMetadata.ssoUrl,
      ssoBinding: fromMetadata.ssoBinding,
      certificates: fromMetadata.certificates,
    }),
    ...input.settings,
  };
  const parsed = samlConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('invalid_input', `SAML settings: ${issue.path.join('.') || 'value'}: ${issue.message}`);
  }
  return { samlMetadata: input.metadataXml ?? null, samlConfig: parsed.data };
}
