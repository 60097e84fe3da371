import { nameIdFormats } from './name-id-formats';
import { attr, children, ns, text } from './xml';

export type SamlClaims = Record<string, string | string[]>;

/** Synthetic claims for the NameID, so a claim mapping can use it like any attribute. */
export const nameIdClaims = {
  value: 'saml:NameID',
  format: 'saml:NameIDFormat',
  /** Set only when the NameID's format is emailAddress: the mapping's last resort for `email`. */
  email: 'saml:NameIDEmail',
} as const;

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const MAX_VALUES = 1000;
const MAX_VALUE_LENGTH = 4096;

/**
 * The AttributeStatements of a signed assertion as claims: keyed by Name, and by FriendlyName
 * when no attribute has that as its Name. One value is a string, several are an array (groups).
 */
export function readAttributes(assertion: Element): SamlClaims {
  const byName = new Map<string, string[]>();
  const friendly = new Map<string, string>();
  for (const statement of children(assertion, ns.saml, 'AttributeStatement')) {
    for (const attribute of children(statement, ns.saml, 'Attribute')) {
      const name = attr(attribute, 'Name');
      if (!name) continue;
      const values = children(attribute, ns.saml, 'AttributeValue')
        .filter((v) => v.getAttributeNS(XSI, 'nil') !== 'true')
        .map((v) => text(v))
        .filter((v): v is string => v !== null)
        .map((v) => v.slice(0, MAX_VALUE_LENGTH));
      const list = byName.get(name) ?? [];
      byName.set(name, [...list, ...values].slice(0, MAX_VALUES));
      const friendlyName = attr(attribute, 'FriendlyName');
      if (friendlyName && !friendly.has(friendlyName)) friendly.set(friendlyName, name);
    }
  }
  const claims: SamlClaims = {};
  for (const [name, values] of byName) {
    if (values.length === 0) continue;
    claims[name] = values.length === 1 ? values[0]! : [...new Set(values)];
  }
  for (const [friendlyName, name] of friendly) {
    if (!Object.hasOwn(claims, friendlyName) && !byName.has(friendlyName) && claims[name] !== undefined) claims[friendlyName] = claims[name];
  }
  return claims;
}

export function nameIdClaimsFor(value: string, format: string | null): SamlClaims {
  const claims: SamlClaims = { [nameIdClaims.value]: value };
  if (format) claims[nameIdClaims.format] = format;
  if (format === nameIdFormats.email && /^[^\s@]+@[^\s@]+$/.test(value)) claims[nameIdClaims.email] = value;
  return claims;
}
