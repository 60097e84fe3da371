import type { Tx } from '@/db';
import { findGroupMemberIds, getGroup as getGroupRow } from '@/db/queries/groups';
import { findScimAccountIds } from '@/db/queries/scim-accounts';
import type { Group } from '@/db/schema';
import { inTransaction, type CommandContext } from '@/lib/lifecycle/context';
import { changeGroupMembers } from '@/lib/lifecycle/group/change-group-members';
import { createGroup as createGroupCommand, removeGroup, updateGroupAttributes } from '@/lib/lifecycle/group/manage-group';
import { respond, type ScimContext, type ScimResponse } from './context';
import { applyMemberChanges, normalizeGroupPatch, type MemberChange } from './group-patch';
import { memberIds, toScimGroup } from './group-resource';
import { groupResponse } from './group-response';
import type { JsonObject } from './normalize';
import { checkIfMatch } from './preconditions';
import { applyPatch, groupDefinition, parseGroup, renderGroup } from './schemas';
import { badRequest, notFound } from './scim-error';
import { etagOf } from './user-resource';

const unitOf = <T>(ctx: ScimContext, work: (tx: Tx, command: CommandContext) => Promise<T>) => inTransaction(ctx.db, { actor: ctx.actor }, work);
const externalIdOf = (group: JsonObject) => (typeof group.externalId === 'string' ? group.externalId : null);

/** Applies a membership change set; members added must be (visible) users of the organization. */
async function setMembers(ctx: ScimContext, tx: Tx, group: Group, changes: MemberChange[], command: CommandContext): Promise<Group> {
  if (changes.length === 0) return group;
  const current = await findGroupMemberIds(tx, group.organizationId, group.id);
  const next = applyMemberChanges(current, changes);
  const add = [...next].filter((id) => !current.includes(id));
  const remove = current.filter((id) => !next.has(id));
  const known = new Set(await findScimAccountIds(tx, group.organizationId, add));
  const unknown = add.filter((id) => !known.has(id));
  if (unknown.length) throw badRequest('invalidValue', `No such user for member value(s): ${unknown.slice(0, 5).join(', ')}`);
  return (await changeGroupMembers(tx, { group, add, remove, connection: ctx.principal.connection, door: 'scim' }, command)).group;
}

export async function createGroup(ctx: ScimContext): Promise<ScimResponse> {
  const body = parseGroup(ctx.json());
  const group = await unitOf(ctx, async (tx, command) => {
    const created = await createGroupCommand(tx, { organizationId: ctx.principal.organizationId, displayName: String(body.displayName), externalId: externalIdOf(body) }, command);
    return setMembers(ctx, tx, created, body.members ? [{ op: 'add', ids: memberIds(body.members) }] : [], command);
  });
  return groupResponse(ctx, group, 201);
}

/** PUT: the whole group, members included (absent members means none). */
export async function replaceGroup(ctx: ScimContext, id: string): Promise<ScimResponse> {
  const body = parseGroup(ctx.json());
  const group = await unitOf(ctx, async (tx, command) => {
    const current = await getGroupRow(tx, ctx.principal.organizationId, id, { forUpdate: true });
    if (!current) throw notFound(`Group ${id}`);
    checkIfMatch(ctx, current.version);
    const renamed = await updateGroupAttributes(tx, current, { displayName: String(body.displayName), externalId: externalIdOf(body) }, command);
    return setMembers(ctx, tx, renamed, [{ op: 'replace', ids: memberIds(body.members) }], command);
  });
  return groupResponse(ctx, group);
}

/** PATCH: 204 (Entra's and Okta's expectation, RFC 7644 §3.5.2) unless attributes were asked for. */
export async function patchGroup(ctx: ScimContext, id: string): Promise<ScimResponse> {
  const { operations, members } = normalizeGroupPatch(groupDefinition, ctx.json());
  const group = await unitOf(ctx, async (tx, command) => {
    const current = await getGroupRow(tx, ctx.principal.organizationId, id, { forUpdate: true });
    if (!current) throw notFound(`Group ${id}`);
    checkIfMatch(ctx, current.version);
    const resource = renderGroup(toScimGroup(current, null, ctx.baseUrl), ctx.baseUrl);
    const patched = await applyPatch('Group', resource, operations);
    const displayName = patched ? patched.displayName : current.displayName;
    if (typeof displayName !== 'string' || displayName.trim() === '') throw badRequest('invalidValue', 'displayName must not be empty');
    const renamed = patched ? await updateGroupAttributes(tx, current, { displayName, externalId: externalIdOf(patched) }, command) : current;
    return setMembers(ctx, tx, renamed, members, command);
  });
  if (ctx.param('attributes') || ctx.param('excludedAttributes')) return groupResponse(ctx, group);
  return respond(204, null, { ETag: etagOf(group.version) });
}

export async function deleteGroup(ctx: ScimContext, id: string): Promise<ScimResponse> {
  await unitOf(ctx, async (tx, command) => {
    const group = await getGroupRow(tx, ctx.principal.organizationId, id, { forUpdate: true });
    if (!group) throw notFound(`Group ${id}`);
    checkIfMatch(ctx, group.version);
    await removeGroup(tx, group, ctx.principal.connection, command);
  });
  return respond(204, null);
}
