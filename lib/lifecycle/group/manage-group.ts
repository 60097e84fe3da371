import type { Tx } from '@/db';
import { anyRuleUsesGroups } from '@/db/queries/attribute-rules';
import { deleteGroup as deleteGroupRow, findGroupMemberIds, insertGroup, updateGroup } from '@/db/queries/groups';
import type { Group } from '@/db/schema';
import type { RuleConnection } from '../access/birthright';
import { reconcileMembersBirthright } from '../access/reconcile-members';
import type { CommandContext } from '../context';
import { syncGroupRole } from './change-group-members';

/** Group commands: create, rename, delete (mapping to a role is change-group-role.ts, with its preview and limit). Each runs in the caller's unit of work with its audit event. */
export async function createGroup(tx: Tx, input: { organizationId: string; displayName: string; externalId: string | null }, ctx: CommandContext): Promise<Group> {
  const group = await insertGroup(tx, input);
  ctx.record({
    organizationId: input.organizationId,
    actor: ctx.actor,
    action: 'group.created',
    target: { type: 'group', id: group.id },
    after: { displayName: group.displayName, externalId: group.externalId },
  });
  return group;
}

export async function updateGroupAttributes(tx: Tx, group: Group, patch: { displayName: string; externalId: string | null }, ctx: CommandContext): Promise<Group> {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const key of ['displayName', 'externalId'] as const) {
    if (group[key] !== patch[key]) [before[key], after[key]] = [group[key], patch[key]];
  }
  if (Object.keys(after).length === 0) return group;
  const updated = await updateGroup(tx, group.organizationId, group.id, after);
  ctx.record({ organizationId: group.organizationId, actor: ctx.actor, action: 'group.updated', target: { type: 'group', id: group.id }, before, after });
  return updated;
}

/** Deletes the group; its members lose the role it gave (and birthright roles that tested it are re-evaluated). */
export async function removeGroup(tx: Tx, group: Group, connection: RuleConnection, ctx: CommandContext): Promise<void> {
  const members = await findGroupMemberIds(tx, group.organizationId, group.id);
  await syncGroupRole(tx, group, [], 'all', ctx);
  await deleteGroupRow(tx, group.organizationId, group.id);
  ctx.record({
    organizationId: group.organizationId,
    actor: ctx.actor,
    action: 'group.deleted',
    target: { type: 'group', id: group.id },
    before: { displayName: group.displayName, externalId: group.externalId, members: members.length },
  });
  if (members.length && (await anyRuleUsesGroups(tx, group.organizationId))) {
    await reconcileMembersBirthright(tx, { organizationId: group.organizationId, accountIds: members, connection }, ctx);
  }
}
