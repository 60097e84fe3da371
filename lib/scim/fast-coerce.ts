import { isObject, type Json, type JsonObject } from './normalize';
import { SCIMMY } from './scimmy';

/**
 * scimmy's inbound coercion (`definition.coerce(body, 'in')`, then JSON), compiled once from the same
 * schema definition, for bodies that are already exactly what scimmy would return: every attribute
 * named as the schema spells it, of the schema's type, with canonical values where it has any.
 *
 * scimmy builds accessor-wrapped objects and proxies for every attribute it coerces (about 45 KB
 * and 0.3 ms of CPU a User, plus the garbage); a create's validation was a sixth of its cost. This
 * builds the same result from plain objects. It decides nothing on its own: anything it is not sure
 * of — an unknown or differently-cased attribute, a wrong type, a non-canonical value, a reference
 * (scimmy parses those as URLs), a missing required value, an empty extension — returns null, and
 * the caller runs scimmy, which then accepts or refuses as it always did. fast-coerce.test.ts checks
 * that every body this accepts comes out exactly (key order too) as scimmy's own result.
 */
type Attribute = InstanceType<typeof SCIMMY.Types.Attribute>;
type Definition = InstanceType<typeof SCIMMY.Types.SchemaDefinition>;

type Compiled = {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'other';
  multiValued: boolean;
  required: boolean;
  canonical: readonly unknown[] | null;
  /** Sub-attributes by exact name (complex only). */
  subs: Map<string, Compiled> | null;
  /** Required sub-attributes (complex only). */
  requiredSubs: string[];
};

type CompiledDefinition = {
  id: string;
  resourceType: string;
  /** The attributes in the schema's order, as the output is built. */
  attributes: ({ kind: 'schemas' } | { kind: 'meta' } | { kind: 'attribute'; attribute: Compiled } | { kind: 'extension'; id: string; required: boolean; definition: CompiledDefinition })[];
  /** What a body may name: inbound attributes and extension ids (plus `schemas`). */
  accepted: Set<string>;
  /** Schema ids a body's `schemas` may list. */
  schemaIds: Set<string>;
};

/** Null: the fast path cannot vouch for this attribute (scimmy handles the whole body). */
function compileAttribute(attribute: Attribute): Compiled | null {
  const { config } = attribute;
  const direction = config.direction ?? 'both';
  if (direction === 'out') return null; // scimmy ignores it inbound; the fast path refuses bodies that send it
  // Sub-attributes scimmy hides on output (toJSON) or with other directions: leave such bodies to scimmy.
  if (config.returned === false || config.returned === 'never') return null;
  const type = attribute.type === 'string' || attribute.type === 'boolean' || attribute.type === 'complex' ? attribute.type : 'other';
  let subs: Map<string, Compiled> | null = null;
  const requiredSubs: string[] = [];
  if (type === 'complex') {
    subs = new Map();
    for (const sub of attribute.subAttributes ?? []) {
      const compiled = compileAttribute(sub);
      if (compiled) subs.set(sub.name, compiled);
      if (sub.config.required) requiredSubs.push(sub.name);
    }
  }
  return {
    name: attribute.name,
    type,
    multiValued: config.multiValued === true,
    required: config.required === true,
    canonical: Array.isArray(config.canonicalValues) ? [...config.canonicalValues] : null,
    subs,
    requiredSubs,
  };
}

/** A resource schema, or an extension (scimmy shows an extension's own attributes only, no shadow ones). */
function compileDefinition(definition: Definition): CompiledDefinition {
  const compiled: CompiledDefinition = { id: definition.id, resourceType: definition.name, attributes: [], accepted: new Set(['schemas']), schemaIds: new Set([definition.id]) };
  for (const entry of definition.attributes as (Attribute | Definition)[]) {
    if (entry instanceof SCIMMY.Types.SchemaDefinition) {
      const extension = compileDefinition(entry);
      compiled.attributes.push({ kind: 'extension', id: entry.id, required: (entry as { required?: boolean }).required === true, definition: extension });
      compiled.accepted.add(entry.id);
      compiled.schemaIds.add(entry.id);
      continue;
    }
    const attribute = entry as Attribute;
    if (attribute.config.shadow && attribute.name === 'schemas') {
      compiled.attributes.push({ kind: 'schemas' });
      continue;
    }
    if (attribute.config.shadow && attribute.name === 'meta') {
      compiled.attributes.push({ kind: 'meta' });
      continue;
    }
    const c = compileAttribute(attribute);
    if (!c) continue;
    compiled.attributes.push({ kind: 'attribute', attribute: c });
    compiled.accepted.add(attribute.name);
  }
  return compiled;
}

const FAIL = Symbol('fail');
type Out = Json | typeof FAIL;

function single(attribute: Compiled, value: Json): Out {
  if (Array.isArray(value) || value === null) return FAIL;
  switch (attribute.type) {
    case 'string':
      if (typeof value !== 'string') return FAIL;
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return FAIL;
      break;
    case 'complex':
      return complex(attribute, value);
    default:
      return FAIL;
  }
  if (attribute.canonical && !attribute.canonical.includes(value)) return FAIL;
  return value;
}

function complex(attribute: Compiled, value: Json): Out {
  if (!isObject(value)) return FAIL;
  const out: JsonObject = {};
  for (const key in value) {
    const sub = attribute.subs!.get(key);
    if (!sub || sub.type === 'complex' || sub.multiValued) return FAIL;
    const coerced = single(sub, value[key]!);
    if (coerced === FAIL) return FAIL;
    out[key] = coerced;
  }
  for (const name of attribute.requiredSubs) if (!(name in out)) return FAIL;
  return out;
}

function coerceValue(attribute: Compiled, value: Json): Out {
  if (attribute.type === 'complex' && attribute.canonical) return FAIL; // scimmy refuses every complex value then
  if (!attribute.multiValued) return single(attribute, value);
  if (!Array.isArray(value) || attribute.type !== 'complex') return FAIL;
  const out: Json[] = [];
  for (const item of value) {
    const coerced = complex(attribute, item);
    if (coerced === FAIL) return FAIL;
    out.push(coerced);
  }
  return out;
}

function coerceBody(definition: CompiledDefinition, body: JsonObject, schemas: string[]): JsonObject | null {
  const out: JsonObject = {};
  for (const entry of definition.attributes) {
    if (entry.kind === 'schemas') out.schemas = schemas;
    else if (entry.kind === 'meta') out.meta = { resourceType: definition.resourceType };
    else if (entry.kind === 'attribute') {
      const { attribute } = entry;
      const value = body[attribute.name];
      if (value === undefined) {
        if (attribute.required) return null;
        continue;
      }
      const coerced = coerceValue(attribute, value);
      if (coerced === FAIL) return null;
      out[attribute.name] = coerced;
    } else {
      const value = body[entry.id];
      if (value === undefined) {
        if (entry.required) return null;
        continue;
      }
      if (!isObject(value) || Object.keys(value).length === 0) return null;
      for (const key in value) if (!entry.definition.accepted.has(key) || key === 'schemas') return null;
      const coerced = coerceBody(entry.definition, value, []);
      if (!coerced) return null;
      out[entry.id] = coerced;
    }
  }
  return out;
}

/** A coercer for one resource schema (with its extensions), compiled from scimmy's definition. */
export function compileInboundCoercer(definition: Definition): (body: JsonObject) => JsonObject | null {
  const compiled = compileDefinition(definition);
  const extensions = compiled.attributes.flatMap((a) => (a.kind === 'extension' ? [a.id] : []));
  return (body) => {
    for (const key in body) if (!compiled.accepted.has(key)) return null;
    const sent = body.schemas;
    if (sent !== undefined && (!Array.isArray(sent) || !sent.every((s) => typeof s === 'string' && compiled.schemaIds.has(s)))) return null;
    // scimmy's list: the resource's schema, the extensions the body carries, then what the body listed.
    const schemas = [...new Set([compiled.id, ...extensions.filter((id) => body[id] !== undefined), ...((sent as string[] | undefined) ?? [])])];
    return coerceBody(compiled, body, schemas);
  };
}
