import type { Tx } from '@/db';
import { findAssignments } from '@/db/queries/role-assignments';
import type { Account } from '@/db/schema';
import { changeAccess } from '../access/gate';
import type { CommandContext } from '../context';
import { removeFromAllGroups } from '../group/change-group-members';
import { setAccountStatus } from './set-account-status';

/**
 * Leaver, for good (SCIM DELETE): in one transaction the account is deprovisioned (sessions revoked,
 * refused everywhere), loses every role (through the access gate) and leaves every group. The record
 * stays for the audit trail; purging personal data later is an organization setting (purge-deprovisioned.ts).
 */
export async function deprovisionAccount(
  tx: Tx,
  input: { organizationId: string; accountId: string; reason?: string; locked?: Account },
  ctx: CommandContext,
): Promise<{ account: Account; rolesRevoked: number; groupsLeft: number }> {
  const { account } = await setAccountStatus(tx, { ...input, status: 'deprovisioned' }, ctx);
  const assignments = await findAssignments(tx, input.organizationId, [input.accountId]);
  const [access, groupsLeft] = await Promise.all([
    changeAccess(tx, { organizationId: input.organizationId, revokes: assignments.map((assignment) => ({ assignment, reason: 'deprovisioned' })) }, ctx),
    removeFromAllGroups(tx, { organizationId: input.organizationId, accountId: input.accountId, reason: 'deprovisioned' }, ctx),
  ]);
  return { account, rolesRevoked: access.revoked.length, groupsLeft };
}
