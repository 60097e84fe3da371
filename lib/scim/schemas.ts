import { compileInboundCoercer } from './fast-coerce';
import { fastPatcher } from './fast-patch';
import { endDateOfBody, endDateOrThrow } from './end-date';
import { checkLength, checkMemberCount, MAX_IDENTIFIER_BYTES } from './limits';
import { isObject, normalizeGroupBody, normalizeUserBody, type Json, type JsonObject } from './normalize';
import type { PatchOperation } from './normalize-patch';
import { badRequest, coerceOrThrow } from './scim-error';
import { GROUP_SCHEMA, PATCH_SCHEMA, SCIMMY, USER_SCHEMA } from './scimmy';

/**
 * The SCIM boundary: bodies in (normalized, then validated by scimmy's schema classes) and
 * resources out (shaped by them). Everything returned is plain JSON, so no scimmy `any` leaks out.
 */
const { Schemas, Messages } = SCIMMY;

export const userDefinition = Schemas.User.definition;
export const groupDefinition = Schemas.Group.definition;

const toJson = (value: unknown): JsonObject => JSON.parse(JSON.stringify(value)) as JsonObject;

function requireObject(raw: unknown): JsonObject {
  if (!isObject(raw as Json)) throw badRequest('invalidSyntax', 'The request body must be a JSON object');
  return raw as JsonObject;
}

type Fast = ReturnType<typeof compileInboundCoercer>;
const fast = new Map<string, Fast>();
/** Compiled on first use, after scimmy.ts has extended the User schema. */
function fastCoercer(definition: typeof userDefinition): Fast {
  let coercer = fast.get(definition.id);
  if (!coercer) fast.set(definition.id, (coercer = compileInboundCoercer(definition)));
  return coercer;
}

/**
 * scimmy's validation of an inbound resource, as `new Schemas.User(body, 'in')` does it — the
 * `schemas` list, when given, must name the resource's schema and its required extensions; then the
 * schema definition coerces every attribute — without building the accessor-wrapped instance, whose
 * setters coerce every attribute a second time (three times the CPU of a create's validation).
 * A body already in the exact shape scimmy returns skips scimmy's coercion (fast-coerce.ts).
 */
function coerceInbound(Schema: typeof Schemas.User | typeof Schemas.Group, body: JsonObject): JsonObject {
  const { definition } = Schema;
  const schemas = Array.isArray(body.schemas) ? body.schemas : [];
  if (schemas.length) {
    if (!schemas.includes(definition.id)) throw badRequest('invalidSyntax', 'The request body supplied a schema type that is incompatible with this resource');
    for (const extension of definition.attributes) {
      if (extension instanceof SCIMMY.Types.SchemaDefinition && (extension as { required?: boolean }).required && !schemas.includes(extension.id)) {
        throw badRequest('invalidValue', `The request body is missing schema extension '${extension.id}' required by this resource type`);
      }
    }
  }
  return fastCoercer(definition)(body) ?? toJson(coerceOrThrow(() => definition.coerce(body, 'in')));
}

/** A POST or PUT /Users body: userName is required and must not be blank. */
export function parseUser(raw: unknown): JsonObject {
  const body = normalizeUserBody(requireObject(raw), USER_SCHEMA);
  endDateOrThrow(endDateOfBody(body));
  const user = coerceInbound(Schemas.User, body);
  if (typeof user.userName !== 'string' || user.userName.trim() === '') throw badRequest('invalidValue', 'userName must not be empty');
  return user;
}

/** A POST or PUT /Groups body: displayName required; it and externalId are identifiers, members bounded (limits.ts). */
export function parseGroup(raw: unknown): JsonObject {
  const body = normalizeGroupBody(requireObject(raw), GROUP_SCHEMA);
  if (Array.isArray(body.members)) checkMemberCount(body.members.length);
  const group = coerceInbound(Schemas.Group, body);
  if (typeof group.displayName !== 'string' || group.displayName.trim() === '') throw badRequest('invalidValue', 'displayName must not be empty');
  checkLength(group.displayName, 'displayName', MAX_IDENTIFIER_BYTES);
  if (typeof group.externalId === 'string') checkLength(group.externalId, 'externalId', MAX_IDENTIFIER_BYTES);
  return group;
}

let userPatcher: ReturnType<typeof fastPatcher> | undefined;
/** The fast path for a User's single-valued replaces (fast-patch.ts), compiled on first use like the coercer. */
function fastUserPatch(current: JsonObject, operations: PatchOperation[]): JsonObject | null | undefined {
  userPatcher ??= fastPatcher(userDefinition);
  return userPatcher(current, operations);
}

/** Applies PatchOp operations (a User's plain replaces by fast-patch.ts, the rest by scimmy); null when nothing changed. */
export async function applyPatch(kind: 'User' | 'Group', current: JsonObject, operations: PatchOperation[]): Promise<JsonObject | null> {
  if (kind === 'User') {
    const fast = fastUserPatch(current, operations);
    if (fast !== undefined) return fast;
  }
  return applyPatchWithScimmy(kind, current, operations);
}

/** scimmy's PatchOp.apply itself (applyPatch's fallback; fast-patch.test.ts compares the two). */
export async function applyPatchWithScimmy(kind: 'User' | 'Group', current: JsonObject, operations: PatchOperation[]): Promise<JsonObject | null> {
  if (operations.length === 0) return null;
  const Schema = kind === 'User' ? Schemas.User : Schemas.Group;
  const message = new Messages.PatchOp({ schemas: [PATCH_SCHEMA], Operations: operations });
  const patched: unknown = await coerceOrThrow(() => message.apply(new Schema(current, 'out')));
  return patched ? toJson(await patched) : null;
}

/**
 * A Group as served, with meta.location under `baseUrl` (a User's mapping, user-resource.ts, writes
 * its own). The mappings (user-resource.ts, group-resource.ts) build schema-conformant resources
 * from validated data, so output is not run through scimmy again: its coercion costs about a
 * millisecond a user, too much for list pages (schemas.test.ts checks that scimmy accepts what
 * they produce).
 */
function withLocation(resource: JsonObject, location: string): JsonObject {
  const meta = isObject(resource.meta ?? null) ? (resource.meta as JsonObject) : {};
  return { ...resource, meta: { ...meta, location: `${location}/${String(resource.id)}` } };
}

export function renderGroup(resource: JsonObject, baseUrl: string): JsonObject {
  return withLocation(resource, `${baseUrl}/Groups`);
}

/** scimmy's own output coercion of a resource (tests use it to check the mappings). */
export function coerceOutput(kind: 'User' | 'Group', resource: JsonObject, baseUrl: string): JsonObject {
  const Schema = kind === 'User' ? Schemas.User : Schemas.Group;
  return toJson(coerceOrThrow(() => new Schema(resource, 'out', `${baseUrl}/${kind}s`)));
}
