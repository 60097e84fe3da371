import type { ResponseOptions } from '@/lib/saml/testing/test-idp';
import type { DemoUser } from '../users';

const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';

/**
 * What the demo SAML IdP asserts about a user, the way Okta sends it: a persistent NameID (the
 * immutable sub, never the email) and attributes under Okta's friendly names, groups multi-valued.
 */
export function toSamlAssertion(user: DemoUser): Omit<ResponseOptions, 'inResponseTo'> {
  return {
    nameId: user.sub,
    nameIdFormat: PERSISTENT,
    attributes: {
      email: user.email,
      firstName: user.givenName,
      lastName: user.familyName,
      department: user.department,
      title: user.title,
      employeeNumber: user.employeeNumber,
      groups: [...user.groups],
    },
    // Like Okta's default: the assertion and the whole response both signed (RSA-SHA256).
    sign: 'both',
    signatureAlgorithm: 'sha256',
  };
}
