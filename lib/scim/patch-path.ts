import { badRequest } from './scim-error';
import { ENTERPRISE_SCHEMA, ROSTER_USER_SCHEMA, SCIMMY, USER_SCHEMA } from './scimmy';

type Definition = InstanceType<typeof SCIMMY.Types.SchemaDefinition>;

/** A PATCH path, split and spelled as the schema spells it: `emails[type eq "work"].value`. */
export type PatchPath = { uri: string | null; attr: string; filter: string | null; sub: string | null };

const invalidPath = (path: string) => badRequest('invalidPath', `Invalid path '${path}'`);

function canonicalName(definition: Definition, name: string, path: string): string {
  try {
    const found = definition.attribute(name);
    if (found && typeof found.name === 'string') return found.name;
  } catch {
    // fall through
  }
  throw invalidPath(path);
}

/**
 * Splits and canonicalizes a path (attribute names are case-insensitive, RFC 7643 §2.1). The core
 * schema's URN prefix is dropped (scimmy does not resolve it); the enterprise one is kept.
 */
export function parsePatchPath(definition: Definition, raw: string): PatchPath {
  let rest = raw.trim();
  let uri: string | null = null;
  for (const urn of [USER_SCHEMA, 'urn:ietf:params:scim:schemas:core:2.0:Group', ENTERPRISE_SCHEMA, ROSTER_USER_SCHEMA]) {
    if (rest.toLowerCase().startsWith(`${urn.toLowerCase()}:`)) {
      uri = urn === ENTERPRISE_SCHEMA || urn === ROSTER_USER_SCHEMA ? urn : null;
      rest = rest.slice(urn.length + 1);
    }
  }
  const match = /^([A-Za-z$][\w$-]*)(\[.*\])?(?:\.([A-Za-z$][\w$-]*))?$/.exec(rest);
  if (!match) throw invalidPath(raw);
  const [, attrRaw, filter, subRaw] = match;
  const prefix = uri ? `${uri}:` : '';
  const attr = canonicalName(definition, `${prefix}${attrRaw}`, raw);
  const sub = subRaw ? canonicalName(definition, `${prefix}${attr}.${subRaw}`, raw) : null;
  return { uri, attr, filter: filter ?? null, sub };
}

export function formatPatchPath(path: PatchPath): string {
  return `${path.uri ? `${path.uri}:` : ''}${path.attr}${path.filter ?? ''}${path.sub ? `.${path.sub}` : ''}`;
}

/** `[type eq "work"]` → ['type', 'work']; null for anything richer. */
export function simpleEqualityFilter(filter: string | null): [string, string] | null {
  const match = filter ? /^\[\s*([A-Za-z$][\w$-]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*\]$/i.exec(filter) : null;
  return match ? [match[1]!, match[2]!] : null;
}

export function attributeType(definition: Definition, path: PatchPath): { type: string; multiValued: boolean } | null {
  try {
    const name = `${path.uri ? `${path.uri}:` : ''}${path.attr}${path.sub ? `.${path.sub}` : ''}`;
    const found = definition.attribute(name);
    return found && typeof found.type === 'string' ? { type: found.type, multiValued: Boolean(found.config?.multiValued) } : null;
  } catch {
    return null;
  }
}
