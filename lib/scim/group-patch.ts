import { parseFilter, type FilterNode } from './filter';
import { checkLength, checkMemberCount, checkOperationCount, MAX_IDENTIFIER_BYTES } from './limits';
import { isObject, type JsonObject } from './normalize';
import { readOperations, type PatchOperation } from './normalize-patch';
import { formatPatchPath, parsePatchPath } from './patch-path';
import { memberIds } from './group-resource';
import { badRequest } from './scim-error';
import { SCIMMY } from './scimmy';

/**
 * A Group PatchOp split in two: membership changes, which run as SQL on the membership table (no
 * read-modify-write of a large member list), and the rest (displayName, externalId) for scimmy.
 * Accepts Entra's `Remove members` with a value list, Okta's `members[value eq "…"]`, and
 * no-path `replace` values carrying `id` (Okta's rename).
 */
export type MemberChange = { op: 'add' | 'remove' | 'replace'; ids: string[] | 'all' };
type Definition = InstanceType<typeof SCIMMY.Types.SchemaDefinition>;

/** `value eq "a" or value eq "b"` → ['a', 'b']; anything else is not a member selection we serve. */
function idsFromFilter(node: FilterNode): string[] {
  if (node.type === 'or') return [...idsFromFilter(node.left), ...idsFromFilter(node.right)];
  if (node.type === 'compare' && node.op === 'eq' && node.path.attr.toLowerCase() === 'value' && !node.path.sub && typeof node.value === 'string') {
    return [node.value.toLowerCase()];
  }
  throw badRequest('invalidFilter', 'Member paths select members by value eq "<id>"');
}

function memberChange(operation: PatchOperation): MemberChange | null {
  const path = operation.path ?? '';
  if (/^members$/i.test(path)) {
    if (operation.op === 'remove') return { op: 'remove', ids: operation.value === undefined ? 'all' : memberIds(operation.value) };
    return { op: operation.op, ids: memberIds(operation.value) };
  }
  const filtered = /^members\[(.*)\]$/i.exec(path);
  if (filtered) {
    if (operation.op !== 'remove') throw badRequest('invalidPath', `${operation.op} cannot target a filtered members path`);
    return { op: 'remove', ids: idsFromFilter(parseFilter(filtered[1]!)) };
  }
  if (/^members\b/i.test(path)) throw badRequest('invalidPath', `Unsupported members path '${path}'`);
  return null;
}

/** displayName and externalId are identifiers (indexed, limits.ts); scimmy checks their type. */
function identifierChecked(operation: PatchOperation): PatchOperation {
  if ((operation.path === 'displayName' || operation.path === 'externalId') && typeof operation.value === 'string') {
    checkLength(operation.value, operation.path, MAX_IDENTIFIER_BYTES);
  }
  return operation;
}

export function normalizeGroupPatch(definition: Definition, raw: unknown): { operations: PatchOperation[]; members: MemberChange[] } {
  const operations: PatchOperation[] = [];
  const members: MemberChange[] = [];
  for (const operation of readOperations(raw)) {
    const expanded: PatchOperation[] =
      operation.path === undefined
        ? Object.entries(isObject(operation.value ?? null) ? (operation.value as JsonObject) : {})
            .filter(([key]) => !['id', 'meta', 'schemas'].includes(key.toLowerCase()))
            .map(([key, value]) => ({ op: operation.op, path: key, value }))
        : [operation];
    if (operation.path === undefined && expanded.length === 0 && !isObject(operation.value ?? null)) {
      throw badRequest('invalidValue', `A ${operation.op} without a path needs an object value`);
    }
    for (const op of expanded) {
      const change = memberChange(op);
      if (change) members.push(change);
      else operations.push(identifierChecked({ ...op, path: formatPatchPath(parsePatchPath(definition, op.path!)) }));
    }
  }
  checkOperationCount(operations.length + members.length);
  checkMemberCount(members.reduce((sum, change) => sum + (change.ids === 'all' ? 0 : change.ids.length), 0));
  return { operations, members };
}

/** The membership after the changes, in order, from the current one. */
export function applyMemberChanges(current: string[], changes: MemberChange[]): Set<string> {
  let members = new Set(current);
  for (const change of changes) {
    if (change.ids === 'all') members = new Set();
    else if (change.op === 'replace') members = new Set(change.ids);
    else if (change.op === 'add') change.ids.forEach((id) => members.add(id));
    else change.ids.forEach((id) => members.delete(id));
  }
  return members;
}
