import { endDateOrThrow } from './end-date';
import { checkOperationCount } from './limits';
import { isObject, toBooleanish, toManager, type Json, type JsonObject } from './normalize';
import { attributeType, formatPatchPath, parsePatchPath, simpleEqualityFilter, type PatchPath } from './patch-path';
import { badRequest } from './scim-error';
import { ENTERPRISE_SCHEMA, PATCH_SCHEMA, ROSTER_USER_SCHEMA, SCIMMY } from './scimmy';

/**
 * PatchOp messages as Entra ID and Okta send them, rewritten into what RFC 7644 §3.5.2 (and scimmy)
 * accept: `Replace`/`Add` op names, "True"/"False" strings, no-path replace objects with dotted or
 * URN keys (`name.givenName`, `urn:…:User:employeeNumber`), `manager` as a bare id or a one-item
 * list, a core-URN prefix on paths, `Replace emails[type eq "work"].value` when there is no work
 * email yet (adds one), and `id`/`meta` echoed back in a value (Okta's group rename).
 */
export type PatchOperation = { op: 'add' | 'remove' | 'replace'; path?: string; value?: Json };
type Definition = InstanceType<typeof SCIMMY.Types.SchemaDefinition>;

const OPS = new Set(['add', 'remove', 'replace']);
const READ_ONLY_KEYS = new Set(['id', 'meta', 'schemas']);

/** The message's operations, with op names lowercased; anything else about it is a 400. */
export function readOperations(raw: unknown): PatchOperation[] {
  if (!isObject(raw as Json)) throw badRequest('invalidSyntax', 'PatchOp body must be a JSON object');
  const body = raw as JsonObject;
  const schemas = body.schemas;
  if (schemas !== undefined && !(Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_SCHEMA.toLowerCase()))) {
    throw badRequest('invalidSyntax', `PatchOp messages must have the schema ${PATCH_SCHEMA}`);
  }
  const list = body.Operations ?? body.operations;
  if (!Array.isArray(list) || list.length === 0) throw badRequest('invalidValue', 'PatchOp needs a non-empty Operations list');
  checkOperationCount(list.length);
  return list.map((item, index) => {
    if (!isObject(item)) throw badRequest('invalidValue', `Operation ${index + 1} must be an object`);
    const op = typeof item.op === 'string' ? item.op.trim().toLowerCase() : '';
    if (!OPS.has(op)) throw badRequest('invalidSyntax', `Operation ${index + 1} has an unknown op '${String(item.op)}'`);
    if (item.path !== undefined && typeof item.path !== 'string') throw badRequest('invalidPath', `Operation ${index + 1} has a non-string path`);
    const path = typeof item.path === 'string' && item.path.trim() !== '' ? item.path.trim() : undefined;
    if (op === 'remove' && !path) throw badRequest('noTarget', `Operation ${index + 1}: remove needs a path`);
    if (op !== 'remove' && item.value === undefined) throw badRequest('invalidValue', `Operation ${index + 1}: ${op} needs a value`);
    return { op: op as PatchOperation['op'], ...(path ? { path } : {}), ...(item.value !== undefined ? { value: item.value } : {}) };
  });
}

/** A no-path add/replace becomes one operation per attribute (dotted and URN keys included). */
function expandNoPath(operation: PatchOperation): PatchOperation[] {
  if (operation.path !== undefined) return [operation];
  if (!isObject(operation.value ?? null)) throw badRequest('invalidValue', `A ${operation.op} without a path needs an object value`);
  const out: PatchOperation[] = [];
  for (const [key, value] of Object.entries(operation.value as JsonObject)) {
    if (READ_ONLY_KEYS.has(key.toLowerCase())) continue;
    const extension = [ENTERPRISE_SCHEMA, ROSTER_USER_SCHEMA].find((urn) => urn.toLowerCase() === key.toLowerCase());
    if (extension && isObject(value)) {
      for (const [sub, subValue] of Object.entries(value)) out.push({ op: operation.op, path: `${extension}:${sub}`, value: subValue });
    } else out.push({ op: operation.op, path: key, value });
  }
  return out;
}

/** Canonical path; typed values (booleans, manager); a complex replace split per sub-attribute. */
function conform(definition: Definition, operation: PatchOperation): PatchOperation[] {
  const rawPath = operation.path!;
  const path = parsePatchPath(definition, /^manager$/i.test(rawPath) ? `${ENTERPRISE_SCHEMA}:manager` : rawPath);
  const formatted = formatPatchPath(path);
  if (operation.value === undefined) return [{ op: operation.op, path: formatted }];
  const kind = attributeType(definition, path);
  let value: Json = operation.value;
  if (kind?.type === 'boolean') value = toBooleanish(value) ?? null;
  if (path.uri === ENTERPRISE_SCHEMA && path.attr === 'manager' && !path.sub) value = toManager(value);
  if (path.uri === ROSTER_USER_SCHEMA && path.attr === 'endDate') endDateOrThrow(value);
  if (value === null && operation.op !== 'remove') return [{ op: 'remove', path: formatted }];
  const splittable = operation.op === 'replace' && kind?.type === 'complex' && !kind.multiValued && !path.uri && !path.filter && !path.sub;
  if (splittable && isObject(value)) {
    return Object.entries(value).map(([sub, v]) => ({ op: 'replace' as const, path: `${formatted}.${sub}`, value: v }));
  }
  return [{ op: operation.op, path: formatted, value }];
}

/** `replace emails[type eq "work"].value` with no work email: add one (the IdP's intent; scimmy says noTarget). */
function addWhenNoMatch(definition: Definition, operation: PatchOperation, current: JsonObject): PatchOperation {
  if (operation.op === 'remove' || !operation.path) return operation;
  const path: PatchPath = parsePatchPath(definition, operation.path);
  const equality = simpleEqualityFilter(path.filter);
  if (!equality || path.uri) return operation;
  const [key, expected] = equality;
  const items = current[path.attr];
  const matches = Array.isArray(items) && items.some((item) => isObject(item) && String(item[key] ?? '').toLowerCase() === expected.toLowerCase());
  if (matches) return operation;
  const element: JsonObject = { [key]: expected };
  if (path.sub) element[path.sub] = operation.value ?? null;
  else if (isObject(operation.value ?? null)) Object.assign(element, operation.value);
  else return operation;
  return { op: 'add', path: path.attr, value: [element] };
}

/** The operations of a User PatchOp, ready for scimmy's PatchOp.apply on `current`. */
export function normalizeUserPatch(definition: Definition, raw: unknown, current: JsonObject): PatchOperation[] {
  const expanded = readOperations(raw).flatMap(expandNoPath);
  checkOperationCount(expanded.length); // a no-path value with thousands of keys
  return expanded
    .flatMap((operation) => conform(definition, operation))
    .map((operation) => {
      if (/^groups\b/.test(operation.path ?? '')) throw badRequest('mutability', 'groups is read-only: change memberships through /Groups');
      return addWhenNoMatch(definition, operation, current);
    });
}
