import { describe, expect, it } from 'vitest';
import { explainMapping, type MappingExplanation } from './explain-mapping';
import { defaultMappingFor, mapClaims, readClaim, type Claims } from './map-claims';
import { MAX_SAMPLE_BYTES, parseSample } from './parse-sample';
import { entraOidcClaims, entraSaml, googleOidcClaims, jwtOf, oktaOidcClaims, oktaSaml, oneLoginSaml, samlAssertion, shibbolethSaml } from './testing/mapping-samples';

const entra = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';
const field = (e: MappingExplanation, name: string) => e.fields.find((f) => f.field === name)!;
const filled = (e: MappingExplanation) => Object.fromEntries(e.fields.filter((f) => f.value !== null).map((f) => [f.field, [f.value, f.claim ?? `(${f.derived})`]]));

const samples: { name: string; input: string; kind: string; mapping?: Record<string, string | string[]>; expect: Record<string, [unknown, string]> }[] = [
  {
    name: 'Entra ID OIDC (a JWT)',
    input: jwtOf(entraOidcClaims),
    kind: 'jwt',
    expect: {
      email: ['ada@contoso.com', 'email'],
      userName: ['ada@contoso.com', 'preferred_username'],
      displayName: ['Ada Lovelace', 'name'],
      groups: [entraOidcClaims.groups, 'groups'],
    },
  },
  {
    name: 'Entra ID SAML (claim URIs)',
    input: entraSaml,
    kind: 'saml',
    expect: {
      email: ['ada.lovelace@contoso.com', `${entra}emailaddress`],
      userName: ['ada@contoso.com', `${entra}name`],
      displayName: ['Ada Lovelace', 'http://schemas.microsoft.com/identity/claims/displayname'],
      givenName: ['Ada', `${entra}givenname`],
      familyName: ['Lovelace', `${entra}surname`],
      department: ['Analytical Engines', `${entra}department`],
      groups: [['a1f4c1d2-0000-4000-8000-000000000001', 'b2e5d2e3-0000-4000-8000-000000000002'], 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'],
    },
  },
  {
    name: 'Entra ID SAML, department overridden to the division claim',
    input: entraSaml,
    kind: 'saml',
    mapping: { department: 'http://schemas.microsoft.com/identity/claims/division' },
    expect: {
      email: ['ada.lovelace@contoso.com', `${entra}emailaddress`],
      userName: ['ada@contoso.com', `${entra}name`],
      displayName: ['Ada Lovelace', 'http://schemas.microsoft.com/identity/claims/displayname'],
      givenName: ['Ada', `${entra}givenname`],
      familyName: ['Lovelace', `${entra}surname`],
      department: ['Research', 'http://schemas.microsoft.com/identity/claims/division'],
      groups: [['a1f4c1d2-0000-4000-8000-000000000001', 'b2e5d2e3-0000-4000-8000-000000000002'], 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'],
    },
  },
  {
    name: 'Okta OIDC (claims JSON)',
    input: JSON.stringify(oktaOidcClaims, null, 2),
    kind: 'json',
    expect: {
      email: ['grace@acme.com', 'email'],
      emailVerified: [true, 'email_verified'],
      userName: ['grace@acme.com', 'preferred_username'],
      displayName: ['Grace Hopper', 'name'],
      givenName: ['Grace', 'given_name'],
      familyName: ['Hopper', 'family_name'],
      department: ['Navy', 'department'],
      groups: [['Everyone', 'Engineering'], 'groups'],
    },
  },
  {
    name: 'Okta SAML (basic names)',
    input: oktaSaml,
    kind: 'saml',
    expect: {
      email: ['grace@acme.com', 'email'],
      userName: ['grace@acme.com', '(the email (no user name claim))'],
      displayName: ['Grace Hopper', '(the given and family names)'],
      givenName: ['Grace', 'firstName'],
      familyName: ['Hopper', 'lastName'],
      department: ['Navy', 'department'],
      groups: [['Everyone', 'Engineering'], 'groups'],
    },
  },
  {
    name: 'OneLogin SAML with the defaults: only the NameID and memberOf match',
    input: oneLoginSaml,
    kind: 'saml',
    expect: {
      email: ['mary@acme.com', 'saml:NameIDEmail'],
      userName: ['mary@acme.com', '(the email (no user name claim))'],
      groups: [['Engineering;Staff'], 'memberOf'],
    },
  },
  {
    name: 'OneLogin SAML mapped to its User.* parameters',
    input: oneLoginSaml,
    kind: 'saml',
    mapping: { email: 'User.email', givenName: 'User.FirstName', familyName: 'User.LastName', employeeNumber: ['employeeNumber', 'PersonImmutableID'], 'extra.immutableId': 'PersonImmutableID' },
    expect: {
      email: ['mary@acme.com', 'User.email'],
      userName: ['mary@acme.com', '(the email (no user name claim))'],
      displayName: ['Mary Jackson', '(the given and family names)'],
      givenName: ['Mary', 'User.FirstName'],
      familyName: ['Jackson', 'User.LastName'],
      employeeNumber: ['mjackson', 'PersonImmutableID'],
      groups: [['Engineering;Staff'], 'memberOf'],
      'extra.immutableId': ['mjackson', 'PersonImmutableID'],
    },
  },
  {
    name: 'Google Workspace OIDC (a JWT, no groups)',
    input: jwtOf(googleOidcClaims),
    kind: 'jwt',
    expect: {
      email: ['katherine@acme.com', 'email'],
      emailVerified: [true, 'email_verified'],
      userName: ['katherine@acme.com', 'email'],
      displayName: ['Katherine Johnson', '(the given and family names)'],
      givenName: ['Katherine', 'given_name'],
      familyName: ['Johnson', 'family_name'],
    },
  },
  {
    name: 'Shibboleth SAML (LDAP OIDs)',
    input: shibbolethSaml,
    kind: 'saml',
    expect: {
      // The friendly names come before the OIDs in the defaults; either reads the same attribute.
      email: ['dorothy@university.edu', 'mail'],
      userName: ['dvaughan', 'urn:oid:0.9.2342.19200300.100.1.1'],
      displayName: ['Dorothy Vaughan', 'displayName'],
      givenName: ['Dorothy', 'givenName'],
      familyName: ['Vaughan', 'sn'],
      groups: [['staff', 'math'], 'urn:oid:1.3.6.1.4.1.5923.1.5.1.1'],
    },
  },
];

describe('explainMapping on IdP samples', () => {
  it.each(samples)('$name', ({ input, kind, mapping = {}, expect: expected }) => {
    const parsed = parseSample(input);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.kind).toBe(kind);
    const e = explainMapping(parsed.claims, mapping, parsed.protocol, { required: ['email', 'department'] });
    expect(filled(e)).toEqual(expected);
    expect(field(e, 'department').missing).toBe(!('department' in expected));
    expect(e.missingRequired).toEqual('department' in expected ? [] : ['department']);
  });

  it.each(samples)('agrees with mapClaims, and each claim named reads back the value: $name', ({ input, mapping = {} }) => {
    const parsed = parseSample(input);
    if (!parsed.ok) throw new Error(parsed.message);
    const e = explainMapping(parsed.claims, mapping, parsed.protocol);
    const mapped = mapClaims(parsed.claims, mapping, defaultMappingFor(parsed.protocol));
    for (const f of e.fields) {
      const expected = f.field.startsWith('extra.') ? mapped.extra[f.field.slice(6)] : (mapped as unknown as Record<string, unknown>)[f.field];
      expect(f.value ?? null, f.field).toEqual(f.field === 'groups' && mapped.groups.length === 0 ? null : (expected ?? null));
      if (f.claim) expect(readClaim(parsed.claims, f.claim), f.field).toBeDefined();
      if (f.claim && typeof f.value === 'string') expect(String([readClaim(parsed.claims, f.claim)].flat()[0]).trim().toLowerCase()).toBe(f.value.toLowerCase());
    }
  });

  it('says where each field’s claim names come from, and lists the claims nothing used', () => {
    const e = explainMapping(oktaOidcClaims as Claims, { department: ['dept', 'department'] }, 'oidc');
    expect(field(e, 'department')).toMatchObject({ source: 'connection', candidates: ['dept', 'department'], claim: 'department' });
    expect(field(e, 'email')).toMatchObject({ source: 'default', candidates: ['email', 'upn'] });
    expect(field(e, 'endsAt')).toMatchObject({ source: 'none', candidates: [], value: null });
    expect(e.unusedClaims).toEqual(['sub', 'iss', 'aud']);
  });

  it('reports an endsAt claim that is no date', () => {
    const e = explainMapping({ email: 'a@b.co', end: 'next tuesday' }, { endsAt: 'end' }, 'oidc');
    expect(field(e, 'endsAt')).toMatchObject({ value: null, claim: 'end', refused: 'next tuesday: not an ISO 8601 date or time, nor seconds since 1970' });
    expect(field(explainMapping({ end: '2027-01-31' }, { endsAt: 'end' }, 'oidc'), 'endsAt').value).toBe('2027-01-31T00:00:00.000Z');
  });
});

describe('parseSample', () => {
  it('says the JWT signature is not checked', () => {
    const parsed = parseSample(`Bearer ${jwtOf({ email: 'x@y.co' })}`);
    expect(parsed).toMatchObject({ ok: true, kind: 'jwt', claims: { email: 'x@y.co' } });
    expect(parsed.ok && parsed.notes[0]).toMatch(/signature is NOT checked/);
  });

  it('reads a base64 SAMLResponse, and the NameID with its format', () => {
    const parsed = parseSample(btoa(oktaSaml));
    expect(parsed).toMatchObject({ ok: true, kind: 'saml', claims: { 'saml:NameID': 'grace@acme.com', 'saml:NameIDFormat': 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', 'saml:NameIDEmail': 'grace@acme.com' } });
  });

  it.each([
    ['', /Paste an ID token/],
    ['{"email": ', /Not JSON/],
    ['[1, 2]', /Not a sample/],
    ['{}' + ' '.repeat(MAX_SAMPLE_BYTES), /larger than 256 KB/],
    ['eyJhbGciOiJub25lIn0.bm90IGpzb24.', /payload .* is not a base64url-encoded JSON object/],
    ['<html><body>hi</body></html>', /Not a SAML assertion: paste a <saml:Assertion>/],
    ['<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">', /Not a SAML assertion: not well-formed XML/],
    ['<!DOCTYPE x [<!ENTITY a "b">]><x/>', /document type declarations are not allowed/],
    ['<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"/></samlp:Response>', /encrypted assertion/],
    ['just some words', /Not a sample Roster can read/],
  ].map(([input, message]) => ({ label: (input as string).slice(0, 60), input: input as string, message: message as RegExp })))('refuses $label clearly', ({ input, message }) => {
    const parsed = parseSample(input);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });

  it('flags an assertion without a NameID', () => {
    const xml = samlAssertion({ issuer: 'x', nameId: '', format: 'f', attributes: [{ name: 'email', values: ['a@b.co'] }] });
    const parsed = parseSample(xml);
    expect(parsed.ok && parsed.notes[1]).toMatch(/no NameID/);
  });
});
