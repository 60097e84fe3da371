import type { Tx } from '@/db';
import { setGroupsOwner } from '@/db/queries/accounts';
import { anyRuleUsesGroups } from '@/db/queries/attribute-rules';
import { deleteAccountMemberships, deleteGroupMembers, insertGroupMembers, updateGroup } from '@/db/queries/groups';
import { findGroupAssignments } from '@/db/queries/role-assignments';
import type { Group } from '@/db/schema';
import type { Door } from '@/lib/model/account';
import { reconcileMembersBirthright } from '../access/reconcile-members';
import type { RuleConnection } from '../access/birthright';
import { changeAccess } from '../access/gate';
import type { CommandContext } from '../context';

/**
 * Mover through groups: adds and removes members, and at once grants or revokes the role the group
 * maps to (source group, `group:<id>`) through the access gate. The door that sent the memberships
 * (SCIM) then owns the members' groups, so attribute rules read their Roster groups from now on;
 * when rules test `groups`, the members' birthright roles are re-evaluated. Audited.
 */
export async function changeGroupMembers(
  tx: Tx,
  input: { group: Group; add: string[]; remove: string[] | 'all'; connection: RuleConnection; door: Door },
  ctx: CommandContext,
): Promise<{ added: string[]; removed: string[]; group: Group }> {
  const { group } = input;
  const org = group.organizationId;
  const removed = await deleteGroupMembers(tx, org, group.id, input.remove);
  const added = await insertGroupMembers(tx, org, group.id, input.add);
  if (added.length === 0 && removed.length === 0) return { added, removed, group };
  const touched = [...added, ...removed];
  const [updated] = await Promise.all([updateGroup(tx, org, group.id, {}), setGroupsOwner(tx, org, touched, input.door)]);
  ctx.record({ organizationId: org, actor: ctx.actor, action: 'group.members_changed', target: { type: 'group', id: group.id }, data: { added, removed } });
  await syncGroupRole(tx, group, added, removed, ctx);
  if (await anyRuleUsesGroups(tx, org)) await reconcileMembersBirthright(tx, { organizationId: org, accountIds: touched, connection: input.connection }, ctx);
  return { added, removed, group: updated };
}

/** Grants the group's role to new members and takes it from former ones, through the access gate. */
export async function syncGroupRole(tx: Tx, group: Group, added: string[], removed: string[] | 'all', ctx: CommandContext) {
  const org = group.organizationId;
  const sourceRef = `group:${group.id}`;
  const gone = await findGroupAssignments(tx, org, group.id, removed);
  const result = await changeAccess(
    tx,
    {
      organizationId: org,
      grants: group.roleId ? added.map((accountId) => ({ accountId, roleId: group.roleId!, source: 'group' as const, sourceRef })) : [],
      revokes: gone.map((assignment) => ({ assignment })),
    },
    ctx,
  );
  return { granted: result.granted.length, revoked: result.revoked.length };
}

/**
 * Takes an account out of every group (deprovisioning), audited per group. Only the memberships:
 * the roles the groups gave go with the caller's revocation of everything (deprovision-account.ts).
 */
export async function removeFromAllGroups(tx: Tx, input: { organizationId: string; accountId: string; reason: string }, ctx: CommandContext): Promise<number> {
  const groupIds = await deleteAccountMemberships(tx, input.organizationId, input.accountId);
  await Promise.all(groupIds.map((groupId) => updateGroup(tx, input.organizationId, groupId, {})));
  for (const groupId of groupIds) {
    ctx.record({
      organizationId: input.organizationId,
      actor: ctx.actor,
      action: 'group.member_removed',
      target: { type: 'group', id: groupId },
      data: { accountId: input.accountId, reason: input.reason },
    });
  }
  return groupIds.length;
}
