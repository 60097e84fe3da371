import type { ClaimMapping } from '@/db/schema';
import { profileFields, type AccountInput, type Profile, type ProfileField } from '@/lib/model/account';
import { parseInstant } from '@/lib/policy/parse-time';
import { storableText, unstorable } from '@/lib/model/storable-text';

/** The account fields a login can fill (every profile field of lib/model/account.ts), after mapping and normalisation. */
export type MappedAttributes = Profile & {
  emailVerified: boolean | null;
  groups: string[];
  extra: Record<string, string | string[]>;
  /** The account's end date (contractors), from the claim mapped as `endsAt` (no default claim); absent when not sent. */
  endsAt?: Date;
  /** An `endsAt` claim that is no date: the sign-in goes on without it, and says so in the audit trail. */
  endsAtRefused?: { value: string; reason: string };
};

export const stringFields = profileFields;
export type StringField = ProfileField;
export type MappableField = StringField | 'emailVerified' | 'groups' | 'endsAt' | `extra.${string}`;
/** The fields a claim mapping can name (besides `extra.<name>`). */
export const mappableFields = [...stringFields, 'emailVerified', 'groups', 'endsAt'] as const;

/** Standard OIDC claims, with the names Entra ID, Okta and Keycloak use for the rest. */
export const defaultOidcMapping: ClaimMapping = {
  email: ['email', 'upn'],
  emailVerified: 'email_verified',
  userName: ['preferred_username', 'email'],
  displayName: 'name',
  givenName: 'given_name',
  familyName: 'family_name',
  department: 'department',
  title: ['title', 'job_title', 'jobTitle'],
  employeeNumber: ['employee_number', 'employeeNumber', 'employee_id'],
  manager: 'manager',
  groups: 'groups',
};

export type Claims = Record<string, unknown>;

/** Exact claim name first (SAML names contain dots), then a dotted path into nested objects. */
export function readClaim(claims: Claims, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  if (!name.includes('.')) return undefined;
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The candidate claim names of a mapping entry, in order. */
export function candidatesOf(source: string | string[] | undefined): string[] {
  return typeof source === 'string' ? [source] : (source ?? []);
}

/** The first candidate claim that is present (not absent, null or empty), with its name: the one that fills the field. */
export function firstPresentClaim(claims: Claims, source: string | string[] | undefined): { name: string; value: unknown } | undefined {
  for (const name of candidatesOf(source)) {
    const value = readClaim(claims, name);
    if (value !== undefined && value !== null && value !== '') return { name, value };
  }
  return undefined;
}

function firstPresent(claims: Claims, source: string | string[] | undefined): unknown {
  return firstPresentClaim(claims, source)?.value;
}

function toText(value: unknown): string | null {
  if (Array.isArray(value)) return toText(value[0]);
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return null;
}

/** IdPs send booleans as booleans, "true"/"True", or 1; anything else is unknown (null). */
export function toBoolean(value: unknown): boolean | null {
  if (Array.isArray(value)) return toBoolean(value[0]);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : null;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
  }
  return null;
}

function toList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return [...new Set(items.map(toText).filter((v): v is string => v !== null))];
}

/**
 * An end-date claim, strictly: an ISO 8601 date (00:00 UTC that day) or date-time with a zone
 * (lib/policy/parse-time.ts), or a NumericDate (seconds since the epoch, as JWT times are). Anything
 * else is refused, not guessed.
 */
export function readEndDate(value: unknown): { endsAt?: Date; refused?: { value: string; reason: string } } {
  if (value === undefined) return {};
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'number' && Number.isInteger(first) && first > 0 && first < 1e11) return { endsAt: new Date(first * 1000) };
  const at = typeof first === 'string' ? parseInstant(first) : null;
  if (at) return { endsAt: at };
  return { refused: { value: (typeof first === 'string' ? first : String(JSON.stringify(first))).slice(0, 100), reason: 'not an ISO 8601 date or time, nor seconds since 1970' } };
}

/** Verified claims → account fields, using the connection's mapping over the defaults. Pure. */
export function mapClaims(claims: Claims, mapping: ClaimMapping = {}, defaults: ClaimMapping = defaultOidcMapping): MappedAttributes {
  const merged: ClaimMapping = { ...defaults, ...mapping };
  const out = {
    ...(Object.fromEntries(profileFields.map((f) => [f, null])) as Profile),
    emailVerified: toBoolean(firstPresent(claims, merged.emailVerified)),
    groups: toList(firstPresent(claims, merged.groups)),
    extra: {},
  } as MappedAttributes;
  const end = readEndDate(firstPresent(claims, merged.endsAt));
  if (end.endsAt) out.endsAt = end.endsAt;
  if (end.refused) out.endsAtRefused = end.refused;
  for (const field of stringFields) out[field] = toText(firstPresent(claims, merged[field]));
  if (out.email) out.email = out.email.toLowerCase();
  out.userName ??= out.email;
  if (!out.displayName && (out.givenName || out.familyName)) {
    out.displayName = [out.givenName, out.familyName].filter(Boolean).join(' ');
  }
  for (const [key, source] of Object.entries(merged)) {
    if (!key.startsWith('extra.')) continue;
    const value = firstPresent(claims, source);
    if (value === undefined) continue;
    out.extra[key.slice('extra.'.length)] = Array.isArray(value) ? toList(value) : (toText(value) ?? '');
  }
  return out;
}

/**
 * A sign-in's word on the person, as the door-neutral input (lib/model/account.ts): the claims it
 * carries (absent ones clear nothing), its groups and custom attributes.
 */
export function toAccountInput(a: MappedAttributes): AccountInput & { door: 'jit' } {
  const profile: AccountInput['profile'] = {};
  for (const field of profileFields) if (a[field] !== null) profile[field] = a[field];
  return { door: 'jit', profile, groups: a.groups, ...(Object.keys(a.extra).length > 0 ? { extraAttributes: a.extra } : {}), ...(a.endsAt ? { endsAt: a.endsAt } : {}) };
}

/** The required fields that a mapped login lacks. */
export function missingAttributes(attributes: MappedAttributes, required: readonly string[]): string[] {
  return required.filter((field) => {
    if (field === 'groups') return attributes.groups.length === 0;
    if (field.startsWith('extra.')) return attributes.extra[field.slice(6)] === undefined;
    const value = (attributes as unknown as Record<string, unknown>)[field];
    return value === null || value === undefined;
  });
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

const entra = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';
const microsoft = 'http://schemas.microsoft.com/identity/claims/';

/**
 * SAML attribute names as IdPs send them, most specific first: Entra ID / ADFS claim URIs, the
 * friendly names Okta, OneLogin and Google use, then LDAP OIDs (Shibboleth, eduPerson). The NameID
 * counts as the email only when its format is emailAddress (`saml:NameIDEmail`, see lib/saml).
 * Entra's `…/claims/name` is the user principal name, so it names the user, not their display name.
 */
export const defaultSamlMapping: ClaimMapping = {
  email: [`${entra}emailaddress`, 'email', 'mail', 'Email', 'emailAddress', 'urn:oid:0.9.2342.19200300.100.1.3', 'saml:NameIDEmail', `${entra}upn`],
  userName: [`${entra}name`, `${entra}upn`, 'username', 'userName', 'urn:oid:0.9.2342.19200300.100.1.1'],
  displayName: [`${microsoft}displayname`, 'displayName', 'name', 'urn:oid:2.16.840.1.113730.3.1.241'],
  givenName: [`${entra}givenname`, 'firstName', 'givenName', 'given_name', 'urn:oid:2.5.4.42'],
  familyName: [`${entra}surname`, 'lastName', 'surname', 'sn', 'family_name', 'urn:oid:2.5.4.4'],
  department: [`${entra}department`, 'department', 'urn:oid:2.5.4.11'],
  title: [`${entra}jobtitle`, `${entra}title`, 'title', 'jobTitle', 'urn:oid:2.5.4.12'],
  employeeNumber: [`${entra}employeeid`, 'employeeNumber', 'employeeId', 'urn:oid:2.16.840.1.113730.3.1.3'],
  manager: [`${entra}manager`, 'manager'],
  groups: ['http://schemas.microsoft.com/ws/2008/06/identity/claims/groups', 'groups', 'memberOf', 'urn:oid:1.3.6.1.4.1.5923.1.5.1.1'],
};

/** The defaults a connection's own mapping is laid over. */
export function defaultMappingFor(protocol: 'oidc' | 'saml'): ClaimMapping {
  return protocol === 'saml' ? defaultSamlMapping : defaultOidcMapping;
}

/**
 * The first value of the subject or of the mapped attributes (what a sign-in writes) that PostgreSQL
 * could not store, as `<attribute> <problem>`, or null. Such a sign-in is refused (protocol_error),
 * as SCIM refuses such a value: an identifier or a profile field is never altered to fit. Claims
 * that are not mapped are only recorded, made storable (cap-claims.ts).
 */
export function unstorableAttribute(subject: string, attributes: MappedAttributes): string | null {
  const first = (name: string, value: unknown, depth: number): string | null => {
    if (typeof value === 'string') {
      const problem = unstorable(value);
      return problem ? `${storableText(name)} ${problem}` : null;
    }
    if (depth > 2 || value === null || typeof value !== 'object' || value instanceof Date) return null;
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = unstorable(key);
      const found = keyProblem ? `${storableText(name)} ${keyProblem}` : first(Array.isArray(value) ? name : `${name}.${key}`, item, depth + 1);
      if (found) return found;
    }
    return null;
  };
  const problem = unstorable(subject);
  if (problem) return `subject ${problem}`;
  for (const [name, value] of Object.entries(attributes)) {
    const found = first(name, value, 0);
    if (found) return found;
  }
  return null;
}
