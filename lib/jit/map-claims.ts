import type { ClaimMapping } from '@/db/schema';

/** The account fields a login can fill, after mapping and normalisation. */
export type MappedAttributes = {
  email: string | null;
  emailVerified: boolean | null;
  userName: string | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  department: string | null;
  title: string | null;
  employeeNumber: string | null;
  manager: string | null;
  groups: string[];
  extra: Record<string, string | string[]>;
};

export const stringFields = [
  'email',
  'userName',
  'displayName',
  'givenName',
  'familyName',
  'department',
  'title',
  'employeeNumber',
  'manager',
] as const;
export type StringField = (typeof stringFields)[number];
export type MappableField = StringField | 'emailVerified' | 'groups' | `extra.${string}`;

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

function firstPresent(claims: Claims, source: string | string[] | undefined): unknown {
  for (const name of typeof source === 'string' ? [source] : (source ?? [])) {
    const value = readClaim(claims, name);
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

function toText(value: unknown): string | null {
  if (Array.isArray(value)) return toText(value[0]);
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
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

/** Verified claims → account fields, using the connection's mapping over the defaults. Pure. */
export function mapClaims(claims: Claims, mapping: ClaimMapping = {}, defaults: ClaimMapping = defaultOidcMapping): MappedAttributes {
  const merged: ClaimMapping = { ...defaults, ...mapping };
  const out: MappedAttributes = {
    email: null,
    emailVerified: toBoolean(firstPresent(claims, merged.emailVerified)),
    userName: null,
    displayName: null,
    givenName: null,
    familyName: null,
    department: null,
    title: null,
    employeeNumber: null,
    manager: null,
    groups: toList(firstPresent(claims, merged.groups)),
    extra: {},
  };
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

/** SAML adds its own defaults (issue 3); until then every protocol starts from the OIDC names. */
export function defaultMappingFor(protocol: 'oidc' | 'saml'): ClaimMapping {
  return protocol === 'oidc' ? defaultOidcMapping : defaultOidcMapping;
}
