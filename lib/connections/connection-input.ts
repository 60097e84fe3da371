import type { ClaimMapping } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { mappableFields } from '@/lib/jit/map-claims';

/**
 * What a connection's settings may hold, checked the same way for every door (the CLI's flags, the
 * console's form). Each check throws AppError invalid_input with `details.field` naming the input
 * (domain, default-role, map, require, issuer); the message reads after the CLI flag
 * (`--domain x is not a hostname …`), so the CLI prefixes the flag and the form shows it as is.
 */
const hostnamePattern = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const roleKeyPattern = /^[a-z0-9][a-z0-9_.:-]{0,62}$/;

export type ConnectionField = 'name' | 'domain' | 'default-role' | 'map' | 'require' | 'issuer' | 'client-id';

export function inputError(field: ConnectionField, message: string): AppError {
  return new AppError('invalid_input', message, { field });
}

export function fieldOf(error: unknown): ConnectionField | null {
  return error instanceof AppError && typeof error.details?.field === 'string' ? (error.details.field as ConnectionField) : null;
}

export function parseName(value: string): string {
  const name = value.trim();
  if (!name) throw inputError('name', 'is required');
  if (name.length > 200) throw inputError('name', 'is longer than 200 characters');
  return name;
}

/** Email domains, lowercased, without repeats; at least one. */
export function parseDomains(values: string[]): string[] {
  const domains = [...new Set(values.map((d) => d.trim().toLowerCase()).filter(Boolean))];
  if (domains.length === 0) throw inputError('domain', 'is required (an email domain this IdP may sign in)');
  const bad = domains.find((d) => !hostnamePattern.test(d));
  if (bad) throw inputError('domain', `${bad} is not a hostname such as acme.com`);
  return domains;
}

export function parseDefaultRoles(values: string[]): string[] {
  const roles = [...new Set(values.map((r) => r.trim()).filter(Boolean))];
  const bad = roles.find((r) => !roleKeyPattern.test(r));
  if (bad) throw inputError('default-role', `${bad}: role keys are lowercase letters, digits and _ . : -`);
  return roles;
}

export const isMappableField = (field: string) => (mappableFields as readonly string[]).includes(field) || /^extra\.[A-Za-z][\w-]{0,62}$/.test(field);
const notAField = (field: string) => `${field}: not a field (one of ${mappableFields.join(', ')}, or extra.<name>)`;

/** `department=http://schemas.xmlsoap.org/.../department` entries (a field twice: fallbacks, first present wins). */
export function parseClaimMapping(entries: string[]): ClaimMapping {
  const mapping: Record<string, string[]> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    const field = entry.slice(0, at).trim();
    const claim = entry.slice(at + 1).trim();
    if (at < 1 || !claim) throw inputError('map', `${entry}: write field=claim, e.g. department=dept`);
    if (!isMappableField(field)) throw inputError('map', notAField(field));
    if (claim.length > 512) throw inputError('map', `${field}: the claim name is longer than 512 characters`);
    (mapping[field] ??= []).push(claim);
  }
  return Object.fromEntries(Object.entries(mapping).map(([field, claims]) => [field, claims.length === 1 ? claims[0]! : claims]));
}

/** The mapping back as field=claim entries, in order (the form's rows, the CLI's text). */
export function claimMappingEntries(mapping: ClaimMapping): { field: string; claim: string }[] {
  return Object.entries(mapping).flatMap(([field, claims]) => (Array.isArray(claims) ? claims : [claims]).filter((c): c is string => typeof c === 'string').map((claim) => ({ field, claim })));
}

export function parseRequired(fields: string[]): string[] {
  const list = [...new Set(fields.map((f) => f.trim()).filter(Boolean))];
  const bad = list.find((f) => !isMappableField(f));
  if (bad) throw inputError('require', notAField(bad));
  return list;
}

export function parseIssuer(value: string): string {
  const issuer = value.trim();
  if (!URL.canParse(issuer) || !/^https?:$/.test(new URL(issuer).protocol)) throw inputError('issuer', 'must be an absolute http(s) URL such as https://acme.okta.com');
  return issuer;
}

export function parseClientId(value: string): string {
  const id = value.trim();
  if (!id) throw inputError('client-id', 'is required');
  if (id.length > 512) throw inputError('client-id', 'is longer than 512 characters');
  return id;
}
