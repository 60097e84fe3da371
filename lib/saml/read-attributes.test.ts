import { describe, expect, it } from 'vitest';
import { defaultMappingFor, defaultOidcMapping, defaultSamlMapping, mapClaims } from '@/lib/jit/map-claims';
import { nameIdClaimsFor, readAttributes } from './read-attributes';
import { parseXmlStrict } from './xml';

const assertion = (statements: string) =>
  parseXmlStrict(
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="_a">${statements}</saml:Assertion>`,
  ).documentElement;

describe('readAttributes', () => {
  it('keeps one value as a string and several as an array, adds friendly names, and skips nil and empty values', () => {
    const claims = readAttributes(
      assertion(`<saml:AttributeStatement>
        <saml:Attribute Name="urn:oid:0.9.2342.19200300.100.1.3" FriendlyName="mail"><saml:AttributeValue>a@example.com</saml:AttributeValue></saml:Attribute>
        <saml:Attribute Name="groups"><saml:AttributeValue>staff</saml:AttributeValue><saml:AttributeValue>eng</saml:AttributeValue><saml:AttributeValue>staff</saml:AttributeValue></saml:Attribute>
        <saml:Attribute Name="manager"><saml:AttributeValue xsi:nil="true"/></saml:Attribute>
        <saml:Attribute Name="title"><saml:AttributeValue>  </saml:AttributeValue></saml:Attribute>
      </saml:AttributeStatement>`),
    );
    expect(claims).toEqual({ 'urn:oid:0.9.2342.19200300.100.1.3': 'a@example.com', mail: 'a@example.com', groups: ['staff', 'eng'] });
  });

  it('offers the NameID as an email only when its format says it is one', () => {
    expect(nameIdClaimsFor('a@example.com', 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress')).toHaveProperty('saml:NameIDEmail');
    expect(nameIdClaimsFor('a@example.com', 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent')).not.toHaveProperty('saml:NameIDEmail');
  });
});

describe('defaultSamlMapping', () => {
  const entra = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';
  it.each([
    [
      'Entra ID claim URIs',
      {
        [`${entra}emailaddress`]: 'Ann@Example.com',
        [`${entra}givenname`]: 'Ann',
        [`${entra}surname`]: 'Lee',
        [`${entra}name`]: 'ann.lee@example.com',
        [`${entra}department`]: 'Ops',
        [`${entra}jobtitle`]: 'SRE',
        'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups': ['g1', 'g2'],
      },
      { email: 'ann@example.com', userName: 'ann.lee@example.com', displayName: 'Ann Lee', department: 'Ops', title: 'SRE', groups: ['g1', 'g2'] },
    ],
    [
      'Okta / OneLogin friendly names',
      { email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee', department: 'Ops', title: 'SRE', groups: 'g1' },
      { email: 'ann@example.com', userName: 'ann@example.com', givenName: 'Ann', familyName: 'Lee', title: 'SRE', groups: ['g1'] },
    ],
    [
      'LDAP OIDs',
      {
        'urn:oid:0.9.2342.19200300.100.1.3': 'ann@example.com',
        'urn:oid:2.5.4.42': 'Ann',
        'urn:oid:2.5.4.4': 'Lee',
        'urn:oid:2.16.840.1.113730.3.1.241': 'Dr. Ann Lee',
        'urn:oid:2.5.4.11': 'Ops',
        'urn:oid:2.5.4.12': 'SRE',
      },
      { email: 'ann@example.com', displayName: 'Dr. Ann Lee', givenName: 'Ann', familyName: 'Lee', department: 'Ops', title: 'SRE' },
    ],
    ['only an emailAddress NameID', { 'saml:NameIDEmail': 'ann@example.com' }, { email: 'ann@example.com', userName: 'ann@example.com' }],
  ])('maps %s', (_name, claims, expected) => {
    expect(mapClaims(claims, {}, defaultSamlMapping)).toMatchObject(expected);
  });

  it('is the default for SAML connections and leaves OIDC unchanged', () => {
    expect(defaultMappingFor('saml')).toBe(defaultSamlMapping);
    expect(defaultMappingFor('oidc')).toBe(defaultOidcMapping);
  });
});
