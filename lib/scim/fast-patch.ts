import { type JsonObject } from './normalize';
import type { PatchOperation } from './normalize-patch';
import { SCIMMY } from './scimmy';

/**
 * scimmy's PatchOp.apply (lib/scim/schemas.ts: applyPatch) for the operations IdPs send on every
 * move and leave: `replace` or `add` of one singular, read-write string or boolean attribute — at the
 * top level (`active`, `displayName`, `title`), under `name`, or in the enterprise extension
 * (`urn:…:enterprise:2.0:User:department`) — by the exact path normalizeUserPatch produces. Okta's
 * `active:false` and Entra's multi-op replace are both that. scimmy wraps the whole resource in
 * coercing proxies to do it (about 1.3 ms of CPU a PATCH, the largest single cost of one).
 *
 * It decides nothing on its own: any other operation (remove, a filter, a multi-valued or complex
 * target, a value of another type, an empty string, a canonical-valued or read-only attribute) gives
 * `undefined` and the caller runs scimmy. Otherwise the patched resource, or null when no value
 * changes (scimmy's "nothing changed"). fast-patch.test.ts checks, on a generated corpus, that what
 * this returns is what scimmy returns, as the account write sees it.
 */
type Target = { type: 'string' | 'boolean'; parent: string | null; key: string };
type Attribute = InstanceType<typeof SCIMMY.Types.Attribute>;
type Definition = InstanceType<typeof SCIMMY.Types.SchemaDefinition>;

function simple(attribute: Attribute): 'string' | 'boolean' | null {
  const { config } = attribute;
  if (config.multiValued || config.mutable !== true || (config.direction ?? 'both') !== 'both') return null;
  if (config.returned === false || config.returned === 'never' || Array.isArray(config.canonicalValues)) return null;
  return attribute.type === 'string' || attribute.type === 'boolean' ? attribute.type : null;
}

/** Every path this handles, as normalizeUserPatch spells it, to where its value lives in the resource. */
export function compileTargets(definition: Definition): Map<string, Target> {
  const targets = new Map<string, Target>();
  for (const entry of definition.attributes as (Attribute | Definition)[]) {
    if (entry instanceof SCIMMY.Types.SchemaDefinition) {
      for (const attribute of entry.attributes as Attribute[]) {
        const type = attribute instanceof SCIMMY.Types.Attribute && !attribute.config.shadow ? simple(attribute) : null;
        if (type) targets.set(`${entry.id}:${attribute.name}`, { type, parent: entry.id, key: attribute.name });
      }
      continue;
    }
    const attribute = entry as Attribute;
    if (attribute.config.shadow) continue;
    if (attribute.type === 'complex' && !attribute.config.multiValued && attribute.config.mutable === true && (attribute.config.direction ?? 'both') === 'both') {
      for (const sub of attribute.subAttributes ?? []) {
        const type = simple(sub);
        if (type) targets.set(`${attribute.name}.${sub.name}`, { type, parent: attribute.name, key: sub.name });
      }
      continue;
    }
    const type = simple(attribute);
    if (type) targets.set(attribute.name, { type, parent: null, key: attribute.name });
  }
  return targets;
}

export function fastPatcher(definition: Definition): (resource: JsonObject, operations: PatchOperation[]) => JsonObject | null | undefined {
  const targets = compileTargets(definition);
  return (resource, operations) => {
    if (operations.length === 0) return undefined;
    const out: JsonObject = { ...resource };
    const copied = new Set<string>();
    const touched: Target[] = [];
    for (const operation of operations) {
      if ((operation.op !== 'replace' && operation.op !== 'add') || operation.path === undefined) return undefined;
      const target = targets.get(operation.path);
      const value = operation.value;
      if (!target || typeof value !== target.type || value === '') return undefined;
      let container = out;
      if (target.parent !== null) {
        const parent = out[target.parent];
        if (parent !== undefined && (parent === null || typeof parent !== 'object' || Array.isArray(parent))) return undefined;
        if (!copied.has(target.parent)) {
          out[target.parent] = { ...((parent as JsonObject | undefined) ?? {}) };
          copied.add(target.parent);
        }
        container = out[target.parent] as JsonObject;
      }
      container[target.key] = value as string | boolean;
      touched.push(target);
    }
    // Changed: some value differs from the resource's at the end (a later operation may put one back).
    const before = (t: Target) => (t.parent === null ? resource[t.key] : (resource[t.parent] as JsonObject | undefined)?.[t.key]);
    const after = (t: Target) => (t.parent === null ? out[t.key] : (out[t.parent] as JsonObject)[t.key]);
    const changed = touched.some((t) => before(t) !== after(t));
    return changed ? out : null;
  };
}
