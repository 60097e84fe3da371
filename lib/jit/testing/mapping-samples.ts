/**
 * Sign-in samples as IdPs send them, for the mapping preview's tests (vitest and e2e): ID token
 * claims of Entra ID, Okta and Google Workspace, and SAML assertions of Entra ID (claim URIs), Okta
 * (basic names), OneLogin (its User.* parameters) and Shibboleth (LDAP OIDs with friendly names).
 */
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const entra = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';

type Attribute = { name: string; friendly?: string; values: string[] };

export function samlAssertion(input: { issuer: string; nameId: string; format: string; attributes: Attribute[]; response?: boolean }): string {
  const attrs = input.attributes
    .map((a) => `      <saml:Attribute Name="${a.name}"${a.friendly ? ` FriendlyName="${a.friendly}"` : ''}>\n${a.values.map((v) => `        <saml:AttributeValue>${v}</saml:AttributeValue>`).join('\n')}\n      </saml:Attribute>`)
    .join('\n');
  const assertion = `<saml:Assertion xmlns:saml="${SAML}" ID="_a1" IssueInstant="2026-12-01T10:00:00Z" Version="2.0">
    <saml:Issuer>${input.issuer}</saml:Issuer>
    <saml:Subject>
      <saml:NameID Format="${input.format}">${input.nameId}</saml:NameID>
    </saml:Subject>
    <saml:AttributeStatement>
${attrs}
    </saml:AttributeStatement>
  </saml:Assertion>`;
  if (!input.response) return assertion;
  return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0" IssueInstant="2026-12-01T10:00:00Z">\n  ${assertion}\n</samlp:Response>`;
}

const b64url = (value: unknown) => btoa(unescape(encodeURIComponent(JSON.stringify(value)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
/** An unsigned-looking JWT (the signature part is junk: the preview never checks it). */
export const jwtOf = (claims: Record<string, unknown>) => `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64url(claims)}.c2lnbmF0dXJl`;

export const entraOidcClaims = {
  aud: '6731de76-14a6-49ae-97bc-6eba6914391e',
  iss: 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
  iat: 1764583200,
  nbf: 1764583200,
  exp: 1764587100,
  name: 'Ada Lovelace',
  oid: '00000000-0000-0000-66f3-3332eca7ea81',
  preferred_username: 'ada@contoso.com',
  email: 'Ada@Contoso.com',
  groups: ['a1f4c1d2-0000-4000-8000-000000000001', 'b2e5d2e3-0000-4000-8000-000000000002'],
  sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
  tid: '9188040d-6c67-4c5b-b112-36a304b66dad',
  ver: '2.0',
};

export const oktaOidcClaims = {
  sub: '00uid4BxXw6I6TV4m0g3',
  iss: 'https://acme.okta.com',
  aud: '0oa1a2b3c4d5e6f7g8h9',
  email: 'grace@acme.com',
  email_verified: true,
  name: 'Grace Hopper',
  given_name: 'Grace',
  family_name: 'Hopper',
  preferred_username: 'grace@acme.com',
  department: 'Navy',
  groups: ['Everyone', 'Engineering'],
};

export const googleOidcClaims = {
  iss: 'https://accounts.google.com',
  azp: '1234987819200.apps.googleusercontent.com',
  aud: '1234987819200.apps.googleusercontent.com',
  sub: '10769150350006150715113082367',
  hd: 'acme.com',
  email: 'katherine@acme.com',
  email_verified: true,
  at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q',
  given_name: 'Katherine',
  family_name: 'Johnson',
  picture: 'https://lh3.googleusercontent.com/a/photo.jpg',
  iat: 1764583200,
  exp: 1764586800,
};

export const entraSaml = samlAssertion({
  response: true,
  issuer: 'https://sts.windows.net/9188040d-6c67-4c5b-b112-36a304b66dad/',
  nameId: 'ada@contoso.com',
  format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  attributes: [
    { name: 'http://schemas.microsoft.com/identity/claims/tenantid', values: ['9188040d-6c67-4c5b-b112-36a304b66dad'] },
    { name: 'http://schemas.microsoft.com/identity/claims/objectidentifier', values: ['66f3-3332eca7ea81'] },
    { name: 'http://schemas.microsoft.com/identity/claims/displayname', values: ['Ada Lovelace'] },
    { name: `${entra}givenname`, values: ['Ada'] },
    { name: `${entra}surname`, values: ['Lovelace'] },
    { name: `${entra}emailaddress`, values: ['Ada.Lovelace@contoso.com'] },
    { name: `${entra}name`, values: ['ada@contoso.com'] },
    { name: `${entra}department`, values: ['Analytical Engines'] },
    { name: 'http://schemas.microsoft.com/identity/claims/division', values: ['Research'] },
    { name: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups', values: ['a1f4c1d2-0000-4000-8000-000000000001', 'b2e5d2e3-0000-4000-8000-000000000002'] },
  ],
});

export const oktaSaml = samlAssertion({
  issuer: 'http://www.okta.com/exk1a2b3c4d5e6f7g8h9',
  nameId: 'grace@acme.com',
  format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  attributes: [
    { name: 'email', values: ['grace@acme.com'] },
    { name: 'firstName', values: ['Grace'] },
    { name: 'lastName', values: ['Hopper'] },
    { name: 'department', values: ['Navy'] },
    { name: 'groups', values: ['Everyone', 'Engineering'] },
  ],
});

/** OneLogin's default parameters (User.*) match no default claim name but the NameID and memberOf. */
export const oneLoginSaml = samlAssertion({
  issuer: 'https://app.onelogin.com/saml/metadata/1a2b3c4d',
  nameId: 'Mary@acme.com',
  format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  attributes: [
    { name: 'User.email', values: ['mary@acme.com'] },
    { name: 'User.FirstName', values: ['Mary'] },
    { name: 'User.LastName', values: ['Jackson'] },
    { name: 'PersonImmutableID', values: ['mjackson'] },
    { name: 'memberOf', values: ['Engineering;Staff'] },
  ],
});

export const shibbolethSaml = samlAssertion({
  issuer: 'https://idp.university.edu/idp/shibboleth',
  nameId: 'AAdzZWNyZXQxEF8P1Iv/uD',
  format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  attributes: [
    { name: 'urn:oid:0.9.2342.19200300.100.1.3', friendly: 'mail', values: ['dorothy@university.edu'] },
    { name: 'urn:oid:2.5.4.42', friendly: 'givenName', values: ['Dorothy'] },
    { name: 'urn:oid:2.5.4.4', friendly: 'sn', values: ['Vaughan'] },
    { name: 'urn:oid:2.16.840.1.113730.3.1.241', friendly: 'displayName', values: ['Dorothy Vaughan'] },
    { name: 'urn:oid:0.9.2342.19200300.100.1.1', friendly: 'uid', values: ['dvaughan'] },
    { name: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6', friendly: 'eduPersonPrincipalName', values: ['dvaughan@university.edu'] },
    { name: 'urn:oid:1.3.6.1.4.1.5923.1.5.1.1', friendly: 'isMemberOf', values: ['staff', 'math'] },
  ],
});
