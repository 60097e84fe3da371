import type { Tx } from '@/db';
import { deleteAccountMemberships, updateGroup } from '@/db/queries/groups';
import { deleteAccountRoleAssignments } from '@/db/queries/roles';
import type { Account } from '@/db/schema';
import { recordEvents, type Actor } from '@/lib/audit/record-event';
import { setAccountStatus } from './set-account-status';

/**
 * Leaver, for good (SCIM DELETE): in one transaction the account is deprovisioned (sessions revoked,
 * refused everywhere), loses every role and group. The record stays for the audit trail; purging
 * personal data later is an explicit organization setting, not this command's business.
 */
export async function deprovisionAccount(
  tx: Tx,
  input: { organizationId: string; accountId: string; reason?: string },
  actor: Actor,
): Promise<{ account: Account; rolesRevoked: number; groupsLeft: number }> {
  const { account } = await setAccountStatus(tx, { ...input, status: 'deprovisioned' }, actor);
  const [roles, groupIds] = [await deleteAccountRoleAssignments(tx, input.organizationId, input.accountId), await deleteAccountMemberships(tx, input.organizationId, input.accountId)];
  for (const groupId of groupIds) await updateGroup(tx, input.organizationId, groupId, {});
  const target = { type: 'account', id: input.accountId };
  await recordEvents(tx, [
    ...roles.map((r) => ({ organizationId: input.organizationId, actor, action: 'role.revoked', target, data: { roleId: r.roleId, source: r.source, sourceRef: r.sourceRef, reason: 'deprovisioned' } })),
    ...groupIds.map((groupId) => ({ organizationId: input.organizationId, actor, action: 'group.member_removed', target: { type: 'group', id: groupId }, data: { accountId: input.accountId, reason: 'deprovisioned' } })),
  ]);
  return { account, rolesRevoked: roles.length, groupsLeft: groupIds.length };
}
