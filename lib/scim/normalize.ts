import { ENTERPRISE_SCHEMA, ROSTER_USER_SCHEMA } from './scimmy';

/**
 * What Entra ID and Okta send that the RFC (and scimmy) would refuse, made conformant before
 * scimmy sees it. Pure functions on parsed JSON; see normalize-patch.ts for PatchOp messages.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Entra's legacy flag format: "True"/"False" (any case) for booleans. */
export function toBooleanish(value: Json | undefined): Json | undefined {
  if (typeof value !== 'string') return value;
  const lower = value.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : value;
}

/** Null means "no value" (RFC 7643 §2.5): drop it, also inside arrays and complex values. */
export function stripNulls(value: Json): Json {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(stripNulls);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) if (v !== null) out[key] = stripNulls(v);
  return out;
}

const MULTI_VALUED = ['emails', 'phonenumbers', 'ims', 'photos', 'addresses', 'entitlements', 'roles', 'x509certificates'];

/** `primary: "True"` and `type: "Work"` in multi-valued attributes (canonical types are lowercase). */
function normalizeMultiValued(items: Json): Json {
  if (!Array.isArray(items)) return items;
  return items.map((item) => {
    if (!isObject(item)) return item;
    const out: JsonObject = { ...item };
    if ('primary' in out) out.primary = toBooleanish(out.primary) ?? null;
    if (typeof out.type === 'string') out.type = out.type.toLowerCase();
    return out;
  });
}

/** An extension's attributes as one object under its URN, also when sent flat (`urn:…:User:department`) or in another case. */
function nestExtension(body: JsonObject, urn: string): JsonObject {
  const prefix = `${urn}:`.toLowerCase();
  const key = Object.keys(body).find((k) => k.toLowerCase() === urn.toLowerCase()) ?? urn;
  const ext: JsonObject = isObject(body[key]) ? { ...(body[key] as JsonObject) } : {};
  for (const flat of Object.keys(body).filter((k) => k.toLowerCase().startsWith(prefix))) {
    ext[flat.slice(prefix.length)] = body[flat]!;
    delete body[flat];
  }
  if (key !== urn) delete body[key];
  return ext;
}

/** Enterprise attributes Entra sends flat (`urn:…:User:department`) or with `manager` as a bare id. */
function normalizeEnterprise(body: JsonObject): void {
  const ext = nestExtension(body, ENTERPRISE_SCHEMA);
  const managerKey = Object.keys(ext).find((k) => k.toLowerCase() === 'manager');
  if (managerKey) {
    const manager = toManager(ext[managerKey]!);
    if (manager === null) delete ext[managerKey];
    else ext[managerKey] = manager;
  }
  if (Object.keys(ext).length > 0) body[ENTERPRISE_SCHEMA] = ext;
}

/** Roster's extension (scimmy.ts: ROSTER_USER_SCHEMA), nested the same way. */
function normalizeRosterExtension(body: JsonObject): void {
  const ext = nestExtension(body, ROSTER_USER_SCHEMA);
  if (Object.keys(ext).length > 0) body[ROSTER_USER_SCHEMA] = ext;
}

/** Entra sends the manager as an id, or as `[{ value, $ref }]`; the schema wants `{ value }`. */
export function toManager(value: Json): Json {
  if (Array.isArray(value)) return value.length ? toManager(value[0]!) : null;
  if (typeof value === 'string') return value ? { value } : null;
  return value;
}

/** Keeps the schema URNs Roster serves (Entra has sent `…enterprise:2.0User`); the core one is always there. */
function normalizeSchemas(body: JsonObject, core: string, known: string[], extensions: string[]): void {
  const sent = Array.isArray(body.schemas) ? body.schemas.filter((s): s is string => typeof s === 'string') : [];
  const kept = known.filter((k) => sent.some((s) => s.toLowerCase() === k.toLowerCase()));
  for (const extension of extensions) if (!kept.includes(extension)) kept.push(extension);
  body.schemas = [core, ...kept.filter((k) => k !== core)];
}

/** A POST/PUT User body, conformant: no nulls, booleans, enterprise shape, read-only attributes dropped. */
export function normalizeUserBody(raw: JsonObject, core: string): JsonObject {
  const body = stripNulls(raw) as JsonObject;
  for (const key of Object.keys(body)) {
    const lower = key.toLowerCase();
    if (['id', 'meta', 'groups', 'password'].includes(lower)) delete body[key];
    else if (lower === 'active') body[key] = toBooleanish(body[key]) ?? null;
    else if (MULTI_VALUED.includes(lower)) body[key] = normalizeMultiValued(body[key]!);
  }
  normalizeEnterprise(body);
  normalizeRosterExtension(body);
  normalizeSchemas(body, core, [core, ENTERPRISE_SCHEMA, ROSTER_USER_SCHEMA], [ENTERPRISE_SCHEMA, ROSTER_USER_SCHEMA].filter((urn) => urn in body));
  return body;
}

/** A POST/PUT Group body: Entra adds a Microsoft schema URN; `id`/`meta` are read-only. */
export function normalizeGroupBody(raw: JsonObject, core: string): JsonObject {
  const body = stripNulls(raw) as JsonObject;
  for (const key of Object.keys(body)) if (['id', 'meta'].includes(key.toLowerCase())) delete body[key];
  normalizeSchemas(body, core, [core], []);
  return body;
}
