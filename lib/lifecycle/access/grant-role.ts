import type { Tx } from '@/db';
import { getAccountById } from '@/db/queries/accounts';
import { getRoleByKey } from '@/db/queries/roles';
import { AppError } from '@/lib/errors';
import type { CommandContext } from '../context';
import { changeAccess } from './gate';

/**
 * Grants a role by hand (source manual), optionally until a given time. Idempotent: a grant in force
 * is left alone (a time-bound one moves to the new expiry); a lapsed one is granted anew.
 */
export async function grantRole(
  tx: Tx,
  input: { organizationId: string; accountId: string; roleKey: string; expiresAt?: Date | null; reason?: string | null },
  ctx: CommandContext,
) {
  const [account, role] = await Promise.all([getAccountById(tx, input.organizationId, input.accountId), getRoleByKey(tx, input.organizationId, input.roleKey)]);
  if (!account) throw new AppError('not_found', 'No such account in this organization.');
  if (!role) throw new AppError('not_found', `No role "${input.roleKey}" in this organization.`);
  if (account.status === 'deprovisioned') throw new AppError('conflict', 'The account is deprovisioned: restore it before granting roles.');
  const result = await changeAccess(
    tx,
    {
      organizationId: input.organizationId,
      grants: [{ accountId: account.id, roleId: role.id, source: 'manual', sourceRef: '', expiresAt: input.expiresAt ?? null, reason: input.reason ?? null }],
    },
    ctx,
  );
  return { role, granted: result.granted.length > 0, extended: result.extended.length > 0 };
}
