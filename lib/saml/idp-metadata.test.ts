import { beforeAll, describe, expect, it } from 'vitest';
import { buildSamlConnectionConfig, parseIdpMetadata } from './idp-metadata';
import { generateSigningKey, type SigningKey } from './testing/keys';
import { makeTestIdp } from './testing/fixtures';

const body = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '');
let current: SigningKey;
let next: SigningKey;
let weak: SigningKey;

beforeAll(async () => {
  [current, next, weak] = await Promise.all([generateSigningKey(), generateSigningKey(), generateSigningKey({ bits: 1024 })]);
});

/** Shaped like Entra ID's federation metadata: a signing key pair during rollover, both bindings. */
function entraLike(certs: string[], extra = '') {
  const keys = certs
    .map((c) => `<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${body(c)}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>`)
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>${extra}<EntityDescriptor ID="_abc" entityID="https://sts.windows.net/tenant-id/" xmlns="urn:oasis:names:tc:SAML:2.0:metadata">
  <!-- comments are fine in metadata -->
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://login.microsoftonline.com/tenant-id/saml2" />
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/tenant-id/saml2" />
  </IDPSSODescriptor>
</EntityDescriptor>`;
}

describe('parseIdpMetadata', () => {
  it('reads entity ID, the redirect SSO endpoint and every signing certificate (rollover)', () => {
    const parsed = parseIdpMetadata(entraLike([current.certificate, next.certificate]));
    expect(parsed).toMatchObject({
      idpEntityId: 'https://sts.windows.net/tenant-id/',
      ssoUrl: 'https://login.microsoftonline.com/tenant-id/saml2',
      ssoBinding: 'redirect',
      wantAuthnRequestsSigned: false,
    });
    expect(parsed.certificates.map(body)).toEqual([body(current.certificate), body(next.certificate)]);
    expect(parsed.ssoServices).toHaveLength(2);
  });

  it('reads samlify’s own IdP metadata (prefixed namespaces)', async () => {
    const idp = await makeTestIdp();
    expect(parseIdpMetadata(idp.metadataXml())).toMatchObject({ idpEntityId: idp.entityId, ssoUrl: idp.ssoUrl, ssoBinding: 'redirect' });
  });

  it('picks one IdP out of an aggregate only when told which', () => {
    const one = entraLike([current.certificate]).replace(/^<\?xml[^>]*\?>/, '');
    const two = one.replace('https://sts.windows.net/tenant-id/', 'https://other.example/idp');
    const aggregate = `<EntitiesDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata">${one}${two}</EntitiesDescriptor>`;
    expect(() => parseIdpMetadata(aggregate)).toThrow(/2 identity providers/);
    expect(parseIdpMetadata(aggregate, { entityId: 'https://other.example/idp' }).idpEntityId).toBe('https://other.example/idp');
  });

  it.each([
    ['a DOCTYPE (XXE)', () => entraLike([current.certificate], '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'), /document type/],
    ['no certificate', () => entraLike([]), /no signing certificate/],
    ['a broken certificate', () => entraLike(['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----']), /not a valid X.509/],
    ['not metadata', () => '<html><body>login</body></html>', /not SAML 2.0 metadata/],
    ['not XML', () => 'hello', /well-formed|not SAML/],
  ])('refuses %s with a readable message', (_name, xml, message) => {
    expect(() => parseIdpMetadata(xml())).toThrow(message);
  });
});

describe('buildSamlConnectionConfig', () => {
  it('fills safe defaults and lets manual settings override the metadata', () => {
    const { samlConfig, samlMetadata } = buildSamlConnectionConfig({
      metadataXml: entraLike([current.certificate]),
      settings: { allowIdpInitiated: true, ssoBinding: 'post' },
    });
    expect(samlMetadata).toContain('EntityDescriptor');
    expect(samlConfig).toMatchObject({
      idpEntityId: 'https://sts.windows.net/tenant-id/',
      ssoBinding: 'post',
      wantAssertionsSigned: true,
      wantResponseSigned: false,
      allowSha1: false,
      clockSkewSeconds: 120,
      allowIdpInitiated: true,
    });
  });

  it('accepts a manual configuration without metadata', () => {
    const { samlConfig } = buildSamlConnectionConfig({
      settings: { idpEntityId: 'http://www.okta.com/exk1', ssoUrl: 'https://acme.okta.com/app/sso/saml', certificates: [body(current.certificate)] },
    });
    expect(samlConfig.certificates[0]).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  });

  it.each([
    ['a 1024-bit RSA key', () => ({ certificates: [weak.certificate] }), /1024-bit RSA key/],
    ['a javascript: SSO URL', () => ({ ssoUrl: 'javascript:alert(1)' }), /ssoUrl/],
    ['a clock skew of an hour', () => ({ clockSkewSeconds: 3600 }), /clockSkewSeconds/],
  ])('refuses %s', (_name, settings, message) => {
    expect(() => buildSamlConnectionConfig({ metadataXml: entraLike([current.certificate]), settings: settings() })).toThrow(message);
  });
});
