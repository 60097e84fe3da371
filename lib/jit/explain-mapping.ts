import type { ClaimMapping } from '@/db/schema';
import { candidatesOf, defaultMappingFor, firstPresentClaim, mapClaims, mappableFields, missingAttributes, type Claims, type MappedAttributes } from './map-claims';

/**
 * How a connection's claim mapping fills each account field from a sample's claims: the value (as
 * mapClaims gives it: the same function a sign-in runs), the claim that filled it, whether that
 * field's claim names came from the connection's mapping or the protocol's defaults, and the names
 * tried. Pure and browser-safe (the console's mapping preview runs it as the admin types).
 */
export type FieldValue = string | boolean | string[] | null;
export type FieldExplanation = {
  field: string;
  value: FieldValue;
  /** The claim that filled it; `derived` when mapClaims composed it (userName from email, displayName from the names). */
  claim: string | null;
  derived: string | null;
  source: 'connection' | 'default' | 'none';
  candidates: string[];
  required: boolean;
  missing: boolean;
  /** An endsAt claim that is no date (the sign-in goes on without it). */
  refused?: string;
};
export type MappingExplanation = { fields: FieldExplanation[]; unusedClaims: string[]; missingRequired: string[]; mapped: MappedAttributes };

function valueOf(mapped: MappedAttributes, field: string): FieldValue {
  if (field.startsWith('extra.')) return mapped.extra[field.slice('extra.'.length)] ?? null;
  if (field === 'endsAt') return mapped.endsAt ? mapped.endsAt.toISOString() : null;
  const value = (mapped as unknown as Record<string, unknown>)[field];
  if (field === 'groups') return (value as string[]).length ? (value as string[]) : null;
  return value === undefined ? null : (value as FieldValue);
}

function derivation(field: string, mapped: MappedAttributes, claim: string | null): string | null {
  if (claim !== null) return null;
  if (field === 'userName' && mapped.userName !== null) return 'the email (no user name claim)';
  if (field === 'displayName' && mapped.displayName !== null) return 'the given and family names';
  return null;
}

export function explainMapping(claims: Claims, connectionMapping: ClaimMapping, protocol: 'oidc' | 'saml', options: { required?: readonly string[] } = {}): MappingExplanation {
  const defaults = defaultMappingFor(protocol);
  const mapped = mapClaims(claims, connectionMapping, defaults);
  const required = options.required ?? [];
  const missingRequired = missingAttributes(mapped, required);
  const extras = Object.keys(connectionMapping).filter((k) => k.startsWith('extra.'));
  const used = new Set<string>();
  const fields = [...mappableFields, ...extras].map((field): FieldExplanation => {
    const own = Object.hasOwn(connectionMapping, field) && connectionMapping[field] !== undefined;
    const candidates = candidatesOf(own ? connectionMapping[field] : defaults[field]);
    const value = valueOf(mapped, field);
    const hit = value === null && field !== 'endsAt' ? undefined : firstPresentClaim(claims, candidates);
    if (hit) used.add(hit.name.split('.')[0]!).add(hit.name);
    const claim = hit?.name ?? null;
    const explanation: FieldExplanation = {
      field,
      value,
      claim,
      derived: derivation(field, mapped, claim),
      source: own ? 'connection' : candidates.length ? 'default' : 'none',
      candidates,
      required: required.includes(field),
      missing: missingRequired.includes(field),
    };
    if (field === 'endsAt' && mapped.endsAtRefused) explanation.refused = `${mapped.endsAtRefused.value}: ${mapped.endsAtRefused.reason}`;
    return explanation;
  });
  const unusedClaims = Object.keys(claims).filter((name) => !used.has(name));
  return { fields, unusedClaims, missingRequired, mapped };
}
