import type { ClaimMapping } from '@/db/schema';
import { parseClaimMapping } from '@/lib/connections/connection-input';

/**
 * The claim mapping page's rows as a mapping: per field, claim names comma-separated in order
 * (the first present wins); blank is the protocol's default. Each row is checked by
 * parseClaimMapping, the CLI's `--map` check, and its refusal lands on that row. Pure and
 * browser-safe: the page's live preview runs it on every keystroke, the save action on the post.
 */
export type MappingRow = { field: string; claims: string };

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
export const claimNamesOf = (text: string) => text.split(',').map((c) => c.trim()).filter(Boolean);

export function mappingFromRows(rows: MappingRow[]): { mapping: ClaimMapping; errors: Record<string, string> } {
  const mapping: ClaimMapping = {};
  const errors: Record<string, string> = {};
  for (const row of rows) {
    const field = row.field.trim();
    const claims = claimNamesOf(row.claims);
    if (field === 'extra.' && claims.length === 0) continue;
    const key = field || 'extra.';
    if (field.startsWith('extra.') && claims.length === 0) {
      errors[key] = `${field}: give the claim names that fill it (a custom field has no default).`;
      continue;
    }
    if (claims.length === 0) continue;
    if (Object.hasOwn(mapping, field) || errors[key]) {
      errors[key] = `${field || 'A custom field'} is listed twice.`;
      continue;
    }
    try {
      Object.assign(mapping, parseClaimMapping(claims.map((claim) => `${field}=${claim}`)));
    } catch (error) {
      errors[key] = capital(error instanceof Error ? error.message : 'not valid');
    }
  }
  return { mapping, errors };
}
