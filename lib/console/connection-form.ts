import { z } from 'zod';
import { parseClaimMapping, parseClientId, parseDefaultRoles, parseDomains, parseIssuer, parseName, parseRequired } from '@/lib/connections/connection-input';

/**
 * The console's connection form, parsed with the same checks as the CLI's flags
 * (lib/connections/connection-input.ts): each refusal lands on its field.
 */
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function checked<T, I>(parse: (value: I) => T) {
  return (value: I, ctx: z.RefinementCtx): T => {
    try {
      return parse(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: capital(error instanceof Error ? error.message : 'not valid') });
      return z.NEVER;
    }
  };
}

export const text = z.string().optional().transform((v) => v?.trim() ?? '');
/** "a.com, b.com" or one a line. */
const words = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v : [v ?? '']).flatMap((s) => s.split(/[\s,]+/)).filter(Boolean));
const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
const checkbox = z
  .string()
  .optional()
  .transform((v) => v === 'on' || v === 'true');

export const commonFields = {
  name: z.string().transform(checked(parseName)),
  domains: words.transform(checked(parseDomains)),
  defaultRoles: words.transform(checked(parseDefaultRoles)),
  required: words.transform(checked((v: string[]) => (v.length ? parseRequired(v) : ['email']))),
  jit: checkbox,
  mapField: list,
  mapClaim: list,
};

/** The claim mapping table's rows (field and claim side by side), empty rows skipped; a refusal lands on `mapping`. */
export function mappingOf(input: { mapField: string[]; mapClaim: string[] }, ctx: z.RefinementCtx) {
  const entries = input.mapField.map((field, i) => `${field.trim()}=${(input.mapClaim[i] ?? '').trim()}`).filter((e) => e !== '=');
  try {
    return parseClaimMapping(entries);
  } catch (error) {
    ctx.addIssue({ code: 'custom', path: ['mapping'], message: capital(error instanceof Error ? error.message : 'not valid') });
    return z.NEVER;
  }
}

export const oidcFields = {
  issuer: z.string().transform(checked(parseIssuer)),
  clientId: z.string().transform(checked(parseClientId)),
};

export const samlSources = ['metadata', 'url', 'manual'] as const;
export const samlFields = {
  samlSource: z.enum(samlSources, { error: 'Choose how to give the IdP’s SAML settings.' }),
  metadataFile: z.unknown().optional(),
  metadataUrl: text,
  entityId: text,
  ssoUrl: text,
  certificate: text,
};

export const settingsOf = (input: { name: string; domains: string[]; defaultRoles: string[]; required: string[]; jit: boolean }, claimMapping: ReturnType<typeof parseClaimMapping>) => ({
  name: input.name,
  allowedDomains: input.domains,
  defaultRoles: input.defaultRoles,
  requiredAttributes: input.required,
  jitEnabled: input.jit,
  claimMapping,
});
