import type { Tx } from '@/db';
import { getAccountById } from '@/db/queries/accounts';
import { anyRuleUsesGroups } from '@/db/queries/attribute-rules';
import { deleteGroupMembers, deleteGroupRoleAssignments, insertGroupMembers, insertGroupRoleAssignments, updateGroup } from '@/db/queries/groups';
import type { Group } from '@/db/schema';
import { recordEvent, recordEvents, type Actor } from '@/lib/audit/record-event';
import { reconcileAccountRoles, type RuleConnection } from './reconcile-account-roles';

/**
 * Mover through groups: adds and removes members in the caller's transaction, and at once grants
 * or revokes the role the group maps to (source group, `group:<id>`) and, when attribute rules test
 * `groups`, re-evaluates the members' birthright roles. Audited: the membership change, each role change.
 */
export async function changeGroupMembers(
  tx: Tx,
  input: { group: Group; add: string[]; remove: string[] | 'all'; connection: RuleConnection },
  actor: Actor,
): Promise<{ added: string[]; removed: string[]; group: Group }> {
  const { group } = input;
  const org = group.organizationId;
  const removed = await deleteGroupMembers(tx, org, group.id, input.remove);
  const added = await insertGroupMembers(tx, org, group.id, input.add);
  if (added.length === 0 && removed.length === 0) return { added, removed, group };
  const updated = await updateGroup(tx, org, group.id, {});
  await recordEvent(tx, { organizationId: org, actor, action: 'group.members_changed', target: { type: 'group', id: group.id }, data: { added, removed } });
  await syncGroupRole(tx, group, added, removed, actor);
  if (await anyRuleUsesGroups(tx, org)) {
    for (const accountId of [...added, ...removed]) {
      const account = await getAccountById(tx, org, accountId);
      if (account && account.status !== 'deprovisioned') await reconcileAccountRoles(tx, { account, connection: input.connection }, actor);
    }
  }
  return { added, removed, group: updated };
}

/** Grants the group's role to new members and takes it from former ones (audited per account). */
export async function syncGroupRole(tx: Tx, group: Group, added: string[], removed: string[] | 'all', actor: Actor) {
  const org = group.organizationId;
  const sourceRef = `group:${group.id}`;
  const revoked = await deleteGroupRoleAssignments(tx, org, group.id, removed);
  const granted = group.roleId
    ? await insertGroupRoleAssignments(tx, { organizationId: org, groupId: group.id, roleId: group.roleId, accountIds: added, grantedBy: actor.id ?? actor.type })
    : [];
  const event = (action: string, accountId: string, roleId: string | null) => ({
    organizationId: org,
    actor,
    action,
    target: { type: 'account', id: accountId },
    data: { roleId, source: 'group', sourceRef },
  });
  await recordEvents(tx, [...revoked.map((r) => event('role.revoked', r.accountId, r.roleId)), ...granted.map((id) => event('role.granted', id, group.roleId))]);
  return { granted: granted.length, revoked: revoked.length };
}
