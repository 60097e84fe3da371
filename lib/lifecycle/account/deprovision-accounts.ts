import type { Tx } from '@/db';
import { findAssignments } from '@/db/queries/role-assignments';
import { changeAccess } from '../access/gate';
import type { CommandContext } from '../context';
import { removeFromAllGroups } from '../group/change-group-members';
import { setAccountsStatus, type BatchAccount } from './set-accounts-status';

/**
 * deprovisionAccount for a batch of a job: the accounts (locked by the caller) are deprovisioned
 * (sessions revoked), lose every role through the access gate and leave every group, all in the
 * caller's transaction. Returns the ids deprovisioned.
 */
export async function deprovisionAccounts(
  tx: Tx,
  input: { organizationId: string; accounts: BatchAccount[]; job: string; runId: string },
  ctx: CommandContext,
): Promise<{ changed: string[]; rolesRevoked: number; groupsLeft: number }> {
  const { changed } = await setAccountsStatus(tx, { ...input, status: 'deprovisioned' }, ctx);
  if (changed.length === 0) return { changed, rolesRevoked: 0, groupsLeft: 0 };
  const org = input.organizationId;
  const assignments = await findAssignments(tx, org, changed);
  // The roles it loses and the groups it leaves carry the run too.
  const tagged: CommandContext = {
    ...ctx,
    record: (e) => {
      if (e.action === 'role.revoked' && e.data) return ctx.record({ ...e, data: { ...e.data, runId: input.runId } });
      if (e.action === 'group.member_removed' && e.data) return ctx.record({ ...e, data: { ...e.data, runId: input.runId } });
      return ctx.record(e);
    },
  };
  const [access, ...groups] = await Promise.all([
    changeAccess(tx, { organizationId: org, revokes: assignments.map((assignment) => ({ assignment, reason: 'deprovisioned' })) }, tagged),
    ...changed.map((accountId) => removeFromAllGroups(tx, { organizationId: org, accountId, reason: 'deprovisioned' }, tagged)),
  ]);
  return { changed, rolesRevoked: access.revoked.length, groupsLeft: groups.reduce((n, g) => n + g, 0) };
}
