import { isObject, type JsonObject } from './normalize';
import { ENTERPRISE_SCHEMA, ROSTER_USER_SCHEMA } from './scimmy';

/** RFC 7644 §3.4.2.5 `attributes` / `excludedAttributes`; `id` and `schemas` are always returned. */
export type AttributeSelection = { include: string[][] | null; exclude: string[][] };

const ALWAYS = new Set(['id', 'schemas']);

/** `name.givenName,urn:…:User:department` → [['name','givenname'], [ent, 'department']] (lowercase). */
export function parseAttributeList(raw: string | null | undefined): string[][] | null {
  if (!raw || !raw.trim()) return null;
  return raw.split(',').map((item) => {
    const text = item.trim();
    const lower = text.toLowerCase();
    for (const urn of ['urn:ietf:params:scim:schemas:core:2.0:user', 'urn:ietf:params:scim:schemas:core:2.0:group']) {
      if (lower.startsWith(`${urn}:`)) return text.slice(urn.length + 1).toLowerCase().split('.');
    }
    for (const urn of [ENTERPRISE_SCHEMA, ROSTER_USER_SCHEMA]) {
      if (lower.startsWith(`${urn.toLowerCase()}:`)) return [urn.toLowerCase(), ...text.slice(urn.length + 1).toLowerCase().split('.')];
      if (lower === urn.toLowerCase()) return [lower];
    }
    return lower.split('.');
  });
}

export function parseSelection(attributes: string | null | undefined, excluded: string | null | undefined): AttributeSelection {
  return { include: parseAttributeList(attributes), exclude: parseAttributeList(excluded) ?? [] };
}

/** Whether a top-level attribute would appear in the output (lets callers skip loading it). */
export function isSelected(selection: AttributeSelection, attribute: string): boolean {
  const name = attribute.toLowerCase();
  if (selection.exclude.some((p) => p.length === 1 && p[0] === name)) return false;
  return !selection.include || selection.include.some((p) => p[0] === name);
}

function pick(value: unknown, paths: string[][]): unknown {
  if (paths.some((p) => p.length === 0)) return value;
  if (Array.isArray(value)) return value.map((item) => pick(item, paths));
  if (!isObject(value as JsonObject)) return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value as JsonObject)) {
    const rest = paths.filter((p) => p[0] === key.toLowerCase()).map((p) => p.slice(1));
    if (rest.length) out[key] = pick(v, rest) as JsonObject;
  }
  return out;
}

function drop(value: unknown, paths: string[][]): unknown {
  if (Array.isArray(value)) return value.map((item) => drop(item, paths));
  if (!isObject(value as JsonObject)) return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value as JsonObject)) {
    const matching = paths.filter((p) => p[0] === key.toLowerCase());
    if (matching.some((p) => p.length === 1)) continue;
    out[key] = (matching.length ? drop(v, matching.map((p) => p.slice(1))) : v) as JsonObject;
  }
  return out;
}

export function selectAttributes(resource: JsonObject, selection: AttributeSelection): JsonObject {
  if (!selection.include && selection.exclude.length === 0) return resource; // the common case: nothing to trim
  const always = Object.fromEntries(Object.entries(resource).filter(([k]) => ALWAYS.has(k)));
  const picked = selection.include ? (pick(resource, selection.include) as JsonObject) : resource;
  const dropped = drop(picked, selection.exclude.filter((p) => !(p.length === 1 && ALWAYS.has(p[0]!)))) as JsonObject;
  return { ...always, ...dropped };
}
